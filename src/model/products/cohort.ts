// Day-N retention of a product action, tracked online. A user's day 0 is the
// first day they do the action; they count in the cohort only if days
// 1..window are inside the horizon (day0 <= horizon - 1 - window), and are
// retained if they do it again on one of those days.
export class Cohort {
  readonly first: Int16Array;
  readonly retained: Uint8Array;
  constructor(
    n: number,
    readonly window = 7,
  ) {
    this.first = new Int16Array(n).fill(-1);
    this.retained = new Uint8Array(n);
  }

  reset(): void {
    this.first.fill(-1);
    this.retained.fill(0);
  }

  /** user i did the action on day d (days arrive in order; repeats within a day are fine) */
  mark(i: number, d: number): void {
    const f = this.first[i]!;
    if (f < 0) this.first[i] = d;
    else if (d > f && d - f <= this.window) this.retained[i] = 1;
  }

  /** 1 when user i is in the cohort (their days 1..window were observed) */
  inCohort(i: number, horizon: number): number {
    const f = this.first[i]!;
    return f >= 0 && f <= horizon - 1 - this.window ? 1 : 0;
  }

  /** 1 when user i is in the cohort and retained */
  isRetained(i: number, horizon: number): number {
    return this.inCohort(i, horizon) && this.retained[i] ? 1 : 0;
  }
}
