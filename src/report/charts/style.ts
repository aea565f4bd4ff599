// Shared look of every chart: one colour per design across charts, quiet
// axes, and a font the report page also uses.
import type { Config } from 'vega-lite';

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export const config: Config = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6', domainColor: '#888', tickColor: '#888' },
  header: { labelFontSize: 12, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start' },
};

/** Categorical colours (Tableau 10), assigned to designs in the order given. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export const TRUTH_COLOR = '#d62728';

export function designColor(designs: readonly string[]) {
  return { domain: [...designs], range: designs.map((_, i) => PALETTE[i % PALETTE.length]!) };
}

/** Unique values in first-seen order. */
export const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
