// Poisson draws by inversion for a mean drawn many times (a user's daily 1:1
// calls and messages over the horizon): the cumulative sums that
// random/hash.ts poisson() walks for every draw are tabulated once per mean,
// by the same operations in the same order, so every draw returns exactly
// what poisson(mean, u, expNeg) returns, with a walk of comparisons instead
// of a multiplication and a division per step.
import { poisson } from '../../random/hash.js';

/** poisson() stops its walk at this many steps */
const MAX_K = 200;

export class PoissonTable {
  /** cumulative sums c[0..last]; c[k] for k > last equals c[last] */
  private readonly c = new Float64Array(MAX_K);
  private last = 0;
  private mean = 0;
  private expNeg = 1;

  /** tabulate Poisson(mean); expNeg is exp(-mean), as poisson() takes it */
  set(mean: number, expNeg: number): this {
    this.mean = mean;
    this.expNeg = expNeg;
    if (!(mean > 0) || mean >= 30) return this; // poisson() draws these directly
    const c = this.c;
    let p = expNeg;
    let s = p;
    c[0] = s;
    let k = 0;
    while (k < MAX_K - 1) {
      k++;
      p *= mean / k;
      const next = s + p;
      c[k] = next;
      // past the mode the terms only shrink: once one adds nothing, none will
      if (next === s && k > mean) break;
      s = next;
    }
    this.last = k;
    return this;
  }

  /** poisson(mean, u, expNeg) for the tabulated mean */
  draw(u: number): number {
    const mean = this.mean;
    if (!(mean > 0) || mean >= 30) return poisson(mean, u, this.expNeg);
    const c = this.c;
    const last = this.last;
    // the smallest k <= last with u < c[k]; none: the walk runs to MAX_K
    let k = 0;
    while (k <= last && u >= c[k]!) k++;
    return k > last ? MAX_K : k;
  }
}
