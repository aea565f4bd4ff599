// Replications in batches of up to 32: for designs with 0/1 doses and a
// model that works from friends' dose sums, the batch's assignments are
// drawn first (each from its own replication's stream) and the sums of all
// of them come from one bit-parallel pass over the edges (batch-sums.ts).
// Every replication's rows are exactly those replicator(plan)(r) gives.
import { fastStream } from '../random/fast.js';
import * as names from '../random/names.js';
import type { Plan } from './plan.js';
import type { Draw } from '../design/index.js';
import { replicationCore, type GivenDesign, type Row } from './replicate.js';
import { byteDegrees, countBatch, extractSums, planeStride, type BatchSums } from './batch-sums.js';

const WIDTH = 32;
/** below this many replications the per-replication gather is cheaper */
const MIN_BATCH = 4;

/**
 * Bit b of words[i] = user i's treatment in replication b (list[i]: user i's
 * unit; null when unit i is user i), four replications per pass over the
 * words: each pass costs mostly its read-modify-write of `words`.
 */
function packWords(words: Int32Array, zs: Uint8Array[], count: number, list: Uint32Array | null, zero: Uint8Array): void {
  words.fill(0);
  for (let b = 0; b < count; b += 4) {
    const z0 = zs[b]!;
    const z1 = b + 1 < count ? zs[b + 1]! : zero;
    const z2 = b + 2 < count ? zs[b + 2]! : zero;
    const z3 = b + 3 < count ? zs[b + 3]! : zero;
    if (!list) for (let i = 0; i < words.length; i++) words[i]! |= (z0[i]! | (z1[i]! << 1) | (z2[i]! << 2) | (z3[i]! << 3)) << b;
    else {
      for (let i = 0; i < words.length; i++) {
        const u = list[i]!;
        words[i]! |= (z0[u]! | (z1[u]! << 1) | (z2[u]! << 2) | (z3[u]! << 3)) << b;
      }
    }
  }
}

/**
 * A copy of a draw's report in this batch slot's own buffers: designs reuse
 * theirs from draw to draw (RGCR's labels, Saveski's arms, a rollout's stages), and the whole
 * batch is drawn before any of its replications runs.
 */
function keep(info: Draw, slot: { labels: Int32Array; arm: Uint8Array }): Draw {
  if (info.kind === 'rollout') {
    // a rollout's first treated stage of every unit (its shares are fixed for the design)
    if (slot.arm.length !== info.stage.length) slot.arm = new Uint8Array(info.stage.length);
    slot.arm.set(info.stage);
    return { kind: 'rollout', stage: slot.arm, shares: info.shares };
  }
  if (slot.labels.length !== info.labels.length) slot.labels = new Int32Array(info.labels.length);
  slot.labels.set(info.labels);
  if (info.kind === 'clustering') return { kind: 'clustering', labels: slot.labels, count: info.count };
  if (info.kind === 'saturation') {
    if (slot.arm.length !== info.level.length) slot.arm = new Uint8Array(info.level.length);
    slot.arm.set(info.level);
    return { kind: 'saturation', labels: slot.labels, count: info.count, level: slot.arm };
  }
  if (slot.arm.length !== info.arm.length) slot.arm = new Uint8Array(info.arm.length);
  slot.arm.set(info.arm);
  return { kind: 'two-arms', labels: slot.labels, count: info.count, arm: slot.arm };
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
    zero: new Uint8Array(plan.designs[di]!.design.units.count),
    infos: new Array<Draw | null>(WIDTH).fill(null),
    kept: Array.from({ length: WIDTH }, () => ({ labels: new Int32Array(0), arm: new Uint8Array(0) })),
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
        chunk.forEach((r, b) => {
          const info = design.drawUnits(fastStream(plan.scenario.seed, ...names.repAssign(r, design.name)), st.zs[b]!) ?? null;
          st.infos[b] = info && keep(info, st.kept[b]!);
        });
        packWords(words, st.zs, chunk.length, design.units.identity ? null : design.units.list, st.zero);
        st.sums = countBatch(csr, words, st.planes, stride);
      }
      chunk.forEach((r, b) => {
        const given = (di: number): GivenDesign | null => {
          const st = state.find((x) => x.di === di);
          if (!st) return null;
          const fill = (sums: Float64Array, treated: Uint8Array, classes: Int8Array, users: Uint32Array) =>
            extractSums(st.sums!, b, sums, { offsets: csr.offsets, deg, treated, classes, users });
          return { z: st.zs[b]!, info: st.infos[b] ?? null, fill };
        };
        each(r, one(r, given));
      });
    }
  };
}
