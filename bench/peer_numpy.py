"""NumPy/SciPy peer for bench/replicate.ts: the same replication as spillover's
(linear-in-means, user-level Bernoulli(p), difference in means with its
Neyman SE, Horvitz-Thompson and Hajek under full-neighbourhood exposure) on
the same graph, vectorised the way a careful NumPy user would write it
(one sparse matrix-vector product per replication).

Reads the CSR arrays spillover wrote (raw little-endian uint32 files),
prints one JSON object. Run with Debian's interpreter: /usr/bin/python3.
"""
import argparse
import json
import time

import numpy as np
import scipy.sparse as sp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csr", required=True, help="directory with offsets.u32 and nbrs.u32")
    ap.add_argument("--seconds", type=float, default=10.0, help="time budget for the timed loop")
    ap.add_argument("--min-reps", type=int, default=3)
    ap.add_argument("--p", type=float, default=0.5)
    ap.add_argument("--alpha", type=float, default=0.0)
    ap.add_argument("--beta", type=float, default=0.1)
    ap.add_argument("--gamma", type=float, default=0.1)
    ap.add_argument("--sigma", type=float, default=1.0)
    a = ap.parse_args()

    t0 = time.perf_counter()
    offsets = np.fromfile(f"{a.csr}/offsets.u32", dtype=np.uint32).astype(np.int64)
    nbrs = np.fromfile(f"{a.csr}/nbrs.u32", dtype=np.uint32).astype(np.int32)
    n = len(offsets) - 1
    A = sp.csr_matrix((np.ones(len(nbrs)), nbrs, offsets), shape=(n, n))
    deg = np.diff(offsets).astype(np.float64)
    inv_deg = np.where(deg > 0, 1.0 / np.maximum(deg, 1), 0.0)
    # user-level design: the closed neighbourhood touches deg + 1 units
    w1 = a.p ** -(deg + 1)
    w0 = (1 - a.p) ** -(deg + 1)
    # truth from both simulated worlds, once (it does not depend on the noise)
    truth = (a.beta + a.gamma * (A @ np.ones(n)) * inv_deg).mean()
    setup = time.perf_counter() - t0
    rng = np.random.default_rng(1)

    def replicate():
        eps = rng.standard_normal(n)
        z = (rng.random(n) < a.p).astype(np.float64)
        s = A @ z
        y = a.alpha + a.beta * z + a.gamma * s * inv_deg + a.sigma * eps
        t = z == 1
        y1, y0 = y[t], y[~t]
        dm = y1.mean() - y0.mean()
        se = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
        e1 = t & (s == deg)
        e0 = ~t & (s == 0)
        t1 = (y[e1] * w1[e1]).sum()
        t0_ = (y[e0] * w0[e0]).sum()
        ht = (t1 - t0_) / n
        hajek = t1 / w1[e1].sum() - t0_ / w0[e0].sum()
        return dm, se, ht, hajek

    for _ in range(2):
        replicate()
    reps = 0
    start = time.perf_counter()
    cpu0 = time.process_time()
    while reps < a.min_reps or time.perf_counter() - start < a.seconds:
        replicate()
        reps += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu0  # this process's CPU (all threads) over the timed loop
    print(json.dumps({
        "impl": "numpy+scipy",
        "numpy": np.__version__,
        "scipy": __import__("scipy").__version__,
        "nodes": n,
        "edges": int(offsets[-1] // 2),
        "setup_s": setup,
        "reps": reps,
        "seconds": elapsed,
        "reps_per_s": reps / elapsed,
        "cpu_s": cpu,
        "reps_per_cpu_s": reps / cpu,
        "truth": float(truth),
    }))


if __name__ == "__main__":
    main()
