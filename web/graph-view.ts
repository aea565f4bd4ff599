// The graph on a canvas: a cheap layout per preset (communities on a circle,
// the torus as its grid, the small world as a ring), users coloured by
// treatment, friendships between arms in their own colour: those are the
// paths along which treatment leaks into the control group. The colours are
// the charts' (src/report/charts/style.ts): treated and control as in every
// chart, and a design's clusters as halos in that design's chart colour.
import type { GraphKey } from './presets.js';
import type { Assignment, GraphPicture } from './sim.worker.js';
import { ACROSS_COLOR, CONTROL_COLOR, TREATED_COLOR } from '../src/report/charts/style.js';

export const TREATED = TREATED_COLOR;
export const CONTROL = CONTROL_COLOR;
/** halo opacities by cluster: neighbouring clusters differ in shade of the design's colour */
const HALO_ALPHA = [0.1, 0.22, 0.34];

/** Positions in the unit square, x then y per user. */
export function layout(g: GraphPicture, preset: GraphKey): Float32Array {
  const pos = new Float32Array(2 * g.n);
  if (preset === 'torus') {
    const side = Math.round(Math.sqrt(g.n));
    for (let i = 0; i < g.n; i++) {
      pos[2 * i] = 0.04 + (0.92 * (i % side)) / (side - 1);
      pos[2 * i + 1] = 0.04 + (0.92 * Math.floor(i / side)) / (side - 1);
    }
    return pos;
  }
  if (preset === 'communities' && g.blocks) {
    const B = Math.max(...g.blocks) + 1;
    const R = 0.4;
    const r = Math.min(0.06, ((Math.PI * R) / B) * 0.95);
    const seen = new Int32Array(B);
    const size = new Int32Array(B);
    for (const b of g.blocks) size[b]!++;
    for (let i = 0; i < g.n; i++) {
      const b = g.blocks[i]!;
      const k = seen[b]!++;
      // sunflower inside the community's disc: even spacing, no randomness
      const rho = r * Math.sqrt((k + 0.5) / size[b]!);
      const phi = k * 2.39996;
      const a = (2 * Math.PI * b) / B;
      pos[2 * i] = 0.5 + R * Math.cos(a) + rho * Math.cos(phi);
      pos[2 * i + 1] = 0.5 + R * Math.sin(a) + rho * Math.sin(phi);
    }
    return pos;
  }
  for (let i = 0; i < g.n; i++) {
    const a = (2 * Math.PI * i) / g.n;
    pos[2 * i] = 0.5 + 0.44 * Math.cos(a);
    pos[2 * i + 1] = 0.5 + 0.44 * Math.sin(a);
  }
  return pos;
}

/** Share of friendships whose two ends are treated differently (weighted by the dose gap). */
export function crossShare(g: GraphPicture, dose: Float64Array): number {
  let cross = 0;
  let edges = 0;
  for (let i = 0; i < g.n; i++) {
    for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) {
      const j = g.nbrs[k]!;
      if (j < i) continue;
      edges++;
      cross += Math.abs(dose[i]! - dose[j]!);
    }
  }
  return edges ? cross / edges : 0;
}

export function drawGraph(
  canvas: HTMLCanvasElement,
  g: GraphPicture,
  pos: Float32Array,
  a: Assignment | null,
  wrap: boolean,
  designColor = '#999',
): void {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const s = Math.min(w, h);
  const X = (i: number) => (w - s) / 2 + pos[2 * i]! * s;
  const Y = (i: number) => (h - s) / 2 + pos[2 * i + 1]! * s;
  const dot = Math.max(1.6, Math.min(3.2, s / Math.sqrt(g.n) / 6));

  if (a?.cluster) {
    // a faint halo per user in the design's colour, one shade per cluster: clusters show as blobs
    ctx.fillStyle = designColor;
    for (let i = 0; i < g.n; i++) {
      ctx.globalAlpha = HALO_ALPHA[a.cluster[i]! % HALO_ALPHA.length]!;
      ctx.beginPath();
      ctx.arc(X(i), Y(i), dot * 3.2, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  // same-arm friendships first, then the ones across arms on top
  for (const across of [false, true]) {
    ctx.globalAlpha = across ? 0.4 : 0.14;
    ctx.strokeStyle = across ? ACROSS_COLOR : '#777';
    ctx.lineWidth = across ? 0.8 : 0.6;
    ctx.beginPath();
    for (let i = 0; i < g.n; i++) {
      for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) {
        const j = g.nbrs[k]!;
        if (j < i) continue;
        const isAcross = a !== null && Math.abs(a.dose[i]! - a.dose[j]!) > 0.5;
        if (isAcross !== across) continue;
        // on the torus, ties that wrap around the edge would cross the picture
        if (wrap && (Math.abs(pos[2 * i]! - pos[2 * j]!) > 0.5 || Math.abs(pos[2 * i + 1]! - pos[2 * j + 1]!) > 0.5)) continue;
        ctx.moveTo(X(i), Y(i));
        ctx.lineTo(X(j), Y(j));
      }
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  for (let i = 0; i < g.n; i++) {
    const d = a ? a.dose[i]! : 0.5;
    ctx.fillStyle = a === null ? '#999' : d >= 0.999 ? TREATED : d <= 0.001 ? CONTROL : mix(d);
    ctx.beginPath();
    ctx.arc(X(i), Y(i), dot, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** Colour between control and treated for fractional doses (thread designs). */
function mix(d: number): string {
  const c = (hex: string, k: number) => parseInt(hex.slice(1 + 2 * k, 3 + 2 * k), 16);
  const ch = (k: number) => Math.round(c(CONTROL, k) * (1 - d) + c(TREATED, k) * d);
  return `rgb(${ch(0)}, ${ch(1)}, ${ch(2)})`;
}
