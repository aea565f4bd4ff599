// Replications in batches of up to 32: for designs with 0/1 doses and a
// model that works from friends' dose sums, the batch's assignments are
// drawn first (each from its own replication's stream) and the sums of all
// of them come from one bit-parallel pass over the edges (batch-sums.ts).
// Every replication's rows are exactly those replicator(plan)(r) gives.
import { fastStream } from '../random/fast.js';
import type { Plan } from './plan.js';
import type { DrawInfo } from '../design/index.js';
import { replicationCore, type GivenDesign, type Row } from './replicate.js';
import { byteDegrees, countBatch, extractSums, planeStride, type BatchSums } from './batch-sums.js';

const WIDTH = 32;
/** below this many replications the per-replication gather is cheaper */
const MIN_BATCH = 4;

/** Set bit b of words[i] to user i's treatment (list[i]: user i's unit; null when unit i is user i). */
function packBit(words: Int32Array, z: Uint8Array, list: Uint32Array | null, b: number): void {
  if (!list) for (let i = 0; i < words.length; i++) words[i]! |= z[i]! << b;
  else for (let i = 0; i < words.length; i++) words[i]! |= z[list[i]!]! << b;
}

/** Runs `reps` in order, calling `each` with every replication's rows as soon as they are ready. */
export function batchReplicator(plan: Plan): (reps: readonly number[], each: (r: number, rows: Row[]) => void) => void {
  const one = replicationCore(plan);
  const { csr } = plan.graph;
  const batchable = plan.model.writesPeerSum ? plan.designs.flatMap((pd, di) => (pd.design.units.partition ? [di] : [])) : [];
  if (batchable.length === 0) return (reps, each) => reps.forEach((r) => each(r, one(r)));

  const stride = planeStride(csr);
  const deg = byteDegrees(csr);
  const words = new Int32Array(csr.n);
  const state = batchable.map((di) => ({
    di,
    zs: Array.from({ length: WIDTH }, () => new Uint8Array(plan.designs[di]!.design.units.count)),
    infos: new Array<DrawInfo | null>(WIDTH).fill(null),
    planes: new Int32Array(csr.n * stride),
    sums: null as BatchSums | null,
  }));

  return (reps, each) => {
    for (let s = 0; s < reps.length; s += WIDTH) {
      const chunk = reps.slice(s, s + WIDTH);
      if (chunk.length < MIN_BATCH) {
        for (const r of chunk) each(r, one(r));
        continue;
      }
      for (const st of state) {
        const { design } = plan.designs[st.di]!;
        const list = design.units.identity ? null : design.units.list; // partition: user i's unit
        words.fill(0);
        chunk.forEach((r, b) => {
          const z = st.zs[b]!;
          st.infos[b] = design.drawUnits(fastStream(plan.scenario.seed, 'rep', r, 'assign', design.name), z) ?? null;
          packBit(words, z, list, b);
        });
        st.sums = countBatch(csr, words, st.planes, stride);
      }
      chunk.forEach((r, b) => {
        const given = (di: number): GivenDesign | null => {
          const st = state.find((x) => x.di === di);
          if (!st) return null;
          const fill = (sums: Float64Array, dose: Float64Array, classes: Int8Array, users: Uint32Array) =>
            extractSums(st.sums!, b, sums, { offsets: csr.offsets, deg, dose, classes, users });
          return { z: st.zs[b]!, info: st.infos[b] ?? null, fill };
        };
        each(r, one(r, given));
      });
    }
  };
}
