// Difference in means, generalised to fractional doses as the OLS slope of
// outcome on dose (for a 0/1 dose it is exactly the difference in means).
// Standard error: HC2, which for a 0/1 dose equals the Neyman
// sqrt(s1^2/n1 + s0^2/n0); it treats users as independent, which is what
// interference breaks.
import { UNDEFINED, type Estimator } from './estimator.js';

export const differenceInMeans: Estimator = {
  id: 'dm',
  label: 'difference in means (naive SE)',
  notApplicable: () => null,
  prepare: () => (rep) => {
    const { dose: z, y } = rep;
    const n = z.length;
    let zbar = 0;
    let ybar = 0;
    for (let i = 0; i < n; i++) {
      zbar += z[i]!;
      ybar += y[i]!;
    }
    zbar /= n;
    ybar /= n;
    let sxx = 0;
    let sxy = 0;
    let n1 = 0;
    for (let i = 0; i < n; i++) {
      const dz = z[i]! - zbar;
      sxx += dz * dz;
      sxy += dz * (y[i]! - ybar);
      if (z[i]! > 0) n1++;
    }
    if (!(sxx > 0) || n1 < 2 || n - n1 < 2) return UNDEFINED;
    const b = sxy / sxx;
    const a = ybar - b * zbar;
    let meat = 0;
    for (let i = 0; i < n; i++) {
      const dz = z[i]! - zbar;
      const e = y[i]! - a - b * z[i]!;
      const h = 1 / n + (dz * dz) / sxx;
      meat += (dz * dz * e * e) / (1 - h);
    }
    return { estimate: b, se: Math.sqrt(meat) / sxx, df: Infinity };
  },
};
