// Shared look of every chart: one colour map (treated, control, the truth,
// friendships across arms, and one colour per design) used by the charts,
// the report and the page's network drawing alike, quiet axes, and a font
// the report page also uses. The arms' and the truth's colours are never a
// design's, so orange always means treated and red always the truth.
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

/** Treated users (and treated units), in the network drawing and any chart of arms. */
export const TREATED_COLOR = '#f28e2b';
/** Control users. */
export const CONTROL_COLOR = '#4e79a7';
/** The true effect, in every chart. */
export const TRUTH_COLOR = '#d62728';
/** Friendships joining a treated and a control user, where treatment leaks (the network drawing). */
export const ACROSS_COLOR = '#6a3d9a';

/**
 * Designs' colours, assigned in the order the designs come (scenario order):
 * Tableau 10 without its blue, orange and red, which mean control, treated
 * and the truth, and without its purple (friendships across arms).
 */
export const PALETTE = ['#59a14f', '#9c755f', '#76b7b2', '#ff9da7', '#edc948', '#bab0ac', '#2f6f4f', '#c9a227'];

export function designColor(designs: readonly string[]) {
  return { domain: [...designs], range: designs.map((_, i) => PALETTE[i % PALETTE.length]!) };
}

/** Unique values in first-seen order. */
export const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
