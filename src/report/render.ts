// Vega-Lite spec -> SVG string, headless: Vega's View with no renderer draws
// SVG without a canvas, in Node and in the browser alike.
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A run view of the chart (tests read its scales); finalize() it when done. */
export async function chartView(spec: TopLevelSpec): Promise<View> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  await view.runAsync();
  return view;
}

export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = await chartView(spec);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
