"""python-igraph peer for bench/louvain.ts: read the same edge list, run
multilevel (Louvain) community detection, print times and modularity as JSON.
Run with Debian's interpreter: /usr/bin/python3 (apt-get install python3-igraph)."""
import json
import sys
import time

import igraph as ig


def main():
    path = sys.argv[1]
    t0 = time.perf_counter()
    g = ig.Graph.Read_Edgelist(path, directed=False)
    g.simplify()
    t1 = time.perf_counter()
    parts = g.community_multilevel()
    t2 = time.perf_counter()
    print(json.dumps({
        "impl": "python-igraph multilevel",
        "igraph": ig.__version__,
        "nodes": g.vcount(),
        "edges": g.ecount(),
        "load_s": t1 - t0,
        "cluster_s": t2 - t1,
        "total_s": t2 - t0,
        "modularity": parts.modularity,
        "communities": len(parts),
    }))


if __name__ == "__main__":
    main()
