// A confidence interval by inverting a test: the effects θ0 whose p-value
// p(θ0) is above alpha, found on each side of the estimate by doubling steps
// from `scale` until one is rejected, then bisection to relative precision
// 1e-10. A side never rejected within 2^60 scales is unbounded (±Infinity).
// Used by the wild cluster bootstrap and the Fisher randomization test.
export function invertTest(est: number, scale: number, pOf: (theta: number) => number, alpha: number): { lower: number; upper: number } {
  const end = (dir: 1 | -1) => {
    let inside = est;
    let outside = NaN;
    for (let j = 0, step = scale; j < 60; j++, step *= 2) {
      const th = est + dir * step;
      if (pOf(th) <= alpha) {
        outside = th;
        break;
      }
      inside = th;
    }
    if (Number.isNaN(outside)) return dir * Infinity;
    for (let j = 0; j < 60 && Math.abs(outside - inside) > 1e-10 * (Math.abs(est) + scale); j++) {
      const mid = (inside + outside) / 2;
      if (pOf(mid) <= alpha) outside = mid;
      else inside = mid;
    }
    return (inside + outside) / 2;
  };
  return { lower: end(-1), upper: end(1) };
}
