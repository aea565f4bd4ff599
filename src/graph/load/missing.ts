// Facebook100 (and other survey-derived data) code a missing answer as 0.
// Loaders keep values as written; these helpers make the choice explicit.

/** Copy of `values` with every entry equal to `missing` (default 0) set to NaN. */
export function missingToNaN(values: Float64Array, missing = 0): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] === missing ? NaN : values[i]!;
  return out;
}

/** Share of entries that are NaN or equal to `missing` (default 0); 0 for an empty array. */
export function missingShare(values: Float64Array, missing = 0): number {
  let k = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === missing || Number.isNaN(values[i])) k++;
  return values.length === 0 ? 0 : k / values.length;
}
