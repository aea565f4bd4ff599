// Reading Vega's SVG in tests: every drawn item carries
// aria-roledescription (e.g. "rect mark", "point", "line mark") and an
// aria-label listing its data fields.

/** Number of drawn items of a mark kind. */
export function countItems(svg: string, role: string): number {
  return svg.split(`aria-roledescription="${role}"`).length - 1;
}

/** The aria-labels of the drawn items of a mark kind. */
export function itemLabels(svg: string, role: string): string[] {
  const re = new RegExp(`aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${role}"`, 'g');
  return [...svg.matchAll(re)].map((m) => m[1]!);
}

/** A numeric field from an aria-label ("count: 3; hi: 0.2" -> field count = 3); Vega writes minus as U+2212. */
export function field(label: string, name: string): number {
  const m = new RegExp(`(?:^|; )${name}: ([^;]+)`).exec(label);
  if (!m) throw new Error(`no ${name} in "${label}"`);
  return Number(m[1]!.replace('\u2212', '-'));
}
