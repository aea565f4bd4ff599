// Parameter checks shared by the generators. Messages name the module, the
// option and the allowed range, so a bad scenario file is easy to fix.
import { UserError } from '../../errors.js';

function got(v: unknown): string {
  return typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
}

/** An integer in [min, max]; `max` defaults to unbounded. */
export function checkInt(mod: string, name: string, v: unknown, min: number, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new UserError(`${mod}: ${name} must be an integer ${range}, got ${got(v)}`, 'EPARAM');
  }
  return v;
}

/** A finite number in [min, max], or in (min, max] when `openMin`. */
export function checkReal(mod: string, name: string, v: unknown, min: number, max = Infinity, openMin = false): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && (openMin ? v > min : v >= min) && v <= max;
  if (!ok) {
    const range = max === Infinity ? `${openMin ? '>' : '>='} ${min}` : `in ${openMin ? '(' : '['}${min}, ${max}]`;
    throw new UserError(`${mod}: ${name} must be a number ${range}, got ${got(v)}`, 'EPARAM');
  }
  return v as number;
}

/** An integer range [lo, hi] with min <= lo <= hi. */
export function checkRange(mod: string, name: string, v: unknown, min: number): [number, number] {
  const ok = Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x) && x >= min) && v[0] <= v[1];
  if (!ok) throw new UserError(`${mod}: ${name} must be [lo, hi] with integers ${min} <= lo <= hi, got ${got(v)}`, 'EPARAM');
  return [v[0] as number, v[1] as number];
}
