// Least squares with the small-sample robust variances estimatr uses by
// default: HC2 when observations are independent (each row its own
// cluster), and CR2 with Bell–McCaffrey degrees of freedom when they are
// clustered (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018; Imbens &
// Kolesar 2016). Everything is done on k×k matrices per cluster, so a
// cluster of any size costs O(n_g k²):
//
//   weighted rows x̃ = √w x, ẽ = √w e; M = (X̃'X̃)⁻¹, S = M^{1/2};
//   cluster g: C_g = X̃_g'X̃_g, r_g = X̃_g'ẽ_g, B_g = S C_g S = V Λ V';
//   H_gg = X̃_g M X̃_g' has the nonzero eigenvalues Λ, so
//   (I − H_gg)^{-1/2} = I + X̃_g S F S X̃_g',  F = V diag(((1−λ)^{-1/2} − 1)/λ) V'
//   (I − H_gg)^{-1}   = I + X̃_g S F₂ S X̃_g', F₂ = V diag(1/(1−λ)) V'.
//   CR2: u_g = X̃_g'A_g ẽ_g = r_g + C_g S F S r_g, var(ℓ'β) = Σ_g (m'u_g)², m = Mℓ.
//   BM df = tr(G'G)² / tr((G'G)²) with G'G = diag(d) − Q'MQ,
//   q_g = X̃_g'A_g X̃_g m = (C_g + C_g S F S C_g) m, d_g = m'C_g m + m'C_g S F₂ S C_g m.
// HC2's degrees of freedom are N − k (as estimatr's).
import { undefinedEstimate, withVariance, type Estimate } from './estimator.js';

/** y on the k columns of X (row-major, n×k) with weights w (null: all 1; rows of weight 0 are left out). */
export interface Regression {
  readonly X: Float64Array;
  readonly k: number;
  readonly y: Float64Array;
  readonly w: Float64Array | null;
  readonly n: number;
}

/** Coefficients (NaN-filled when X'X is singular). */
export function olsFit(r: Regression): { beta: Float64Array; M: Float64Array } | null {
  const { X, k, y, w, n } = r;
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    if (!(wi > 0)) continue;
    const o = i * k;
    for (let a = 0; a < k; a++) {
      const xa = wi * X[o + a]!;
      b[a]! += xa * y[i]!;
      for (let c = 0; c <= a; c++) A[a * k + c]! += xa * X[o + c]!;
    }
  }
  for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) A[c * k + a] = A[a * k + c]!;
  const M = inverseSPD(A, k);
  if (!M) return null;
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += M[a * k + c]! * b[c]!;
    beta[a] = s;
  }
  return { beta, M };
}

/**
 * Coefficient j with its HC2 (cluster null) or CR2 + Bell–McCaffrey
 * (cluster labels 0..G-1 per row) standard error and degrees of freedom.
 */
export function robustCoefficient(r: Regression, j: number, cluster: ArrayLike<number> | null, G = 0): Estimate {
  const { X, k, y, w, n } = r;
  const fit = olsFit(r);
  if (!fit) return undefinedEstimate('collinear');
  const { beta, M } = fit;
  const m = new Float64Array(k);
  for (let a = 0; a < k; a++) m[a] = M[a * k + j]!;
  const resid = (i: number) => {
    let s = y[i]!;
    const o = i * k;
    for (let a = 0; a < k; a++) s -= X[o + a]! * beta[a]!;
    return s;
  };
  if (!cluster) {
    let v = 0,
      used = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i]! : 1;
      if (!(wi > 0)) continue;
      used++;
      const o = i * k;
      let h = 0,
        mx = 0;
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += M[a * k + c]! * X[o + c]!;
        h += X[o + a]! * s;
        mx += m[a]! * X[o + a]!;
      }
      h *= wi;
      if (!(h < 1 - 1e-12)) return undefinedEstimate('leverage-one');
      const e = resid(i);
      v += (mx * mx * wi * wi * e * e) / (1 - h);
    }
    if (used - k < 1) return undefinedEstimate('few-units');
    return withVariance(beta[j]!, v, used - k);
  }
  // per-cluster C_g (k×k) and r_g (k)
  const kk = k * k;
  const C = new Float64Array(G * kk);
  const R = new Float64Array(G * k);
  const seen = new Uint8Array(G);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    if (!(wi > 0)) continue;
    const g = cluster[i]!;
    seen[g] = 1;
    const o = i * k;
    const e = wi * resid(i);
    for (let a = 0; a < k; a++) {
      const xa = X[o + a]!;
      R[g * k + a]! += xa * e;
      const wxa = wi * xa;
      for (let c = 0; c <= a; c++) C[g * kk + a * k + c]! += wxa * X[o + c]!;
    }
  }
  const S = sqrtSPD(M, k);
  const Cg = new Float64Array(kk);
  const B = new Float64Array(kk);
  const T1 = new Float64Array(kk);
  const F = new Float64Array(kk);
  const F2 = new Float64Array(kk);
  const tmp = new Float64Array(k);
  const tmp2 = new Float64Array(k);
  const u = new Float64Array(k);
  const q = new Float64Array(k);
  const Cm = new Float64Array(k);
  const P = new Float64Array(kk); // Σ q q'
  let v = 0,
    sumD = 0,
    sumQMQ = 0,
    sumDQMQ = 0,
    sumD2 = 0,
    used = 0;
  for (let g = 0; g < G; g++) {
    if (!seen[g]) continue;
    used++;
    for (let a = 0; a < k; a++) for (let c = 0; c <= a; c++) Cg[a * k + c] = Cg[c * k + a] = C[g * kk + a * k + c]!;
    // B = S C S
    matmul(S, Cg, T1, k);
    matmul(T1, S, B, k);
    const { values, vectors } = jacobiEigen(B, k);
    for (const lam of values) if (!(lam < 1 - 1e-10)) return undefinedEstimate('leverage-one');
    F.fill(0);
    F2.fill(0);
    for (let t = 0; t < k; t++) {
      const lam = Math.max(0, values[t]!);
      const f = lam < 1e-12 ? 0.5 + 0.375 * lam : (1 / Math.sqrt(1 - lam) - 1) / lam;
      const f2 = 1 / (1 - lam);
      for (let a = 0; a < k; a++)
        for (let c = 0; c < k; c++) {
          const vv = vectors[a * k + t]! * vectors[c * k + t]!;
          F[a * k + c]! += f * vv;
          F2[a * k + c]! += f2 * vv;
        }
    }
    // u = r + C S F S r
    const r = R.subarray(g * k, g * k + k);
    sandwichApply(Cg, S, F, r, tmp, tmp2, u, k);
    let mu = 0;
    for (let a = 0; a < k; a++) mu += m[a]! * (r[a]! + u[a]!);
    v += mu * mu;
    // q = C m + C S F S C m ; d = m'C m + m'C S F2 S C m
    matvec(Cg, m, Cm, k);
    sandwichApply(Cg, S, F, Cm, tmp, tmp2, q, k);
    for (let a = 0; a < k; a++) q[a]! += Cm[a]!;
    sandwichApply(Cg, S, F2, Cm, tmp, tmp2, u, k);
    let d = 0;
    for (let a = 0; a < k; a++) d += m[a]! * (Cm[a]! + u[a]!);
    matvec(M, q, tmp, k);
    let qMq = 0;
    for (let a = 0; a < k; a++) qMq += q[a]! * tmp[a]!;
    sumD += d;
    sumQMQ += qMq;
    sumDQMQ += d * qMq;
    sumD2 += d * d;
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) P[a * k + c]! += q[a]! * q[c]!;
  }
  if (used < 2) return undefinedEstimate('arm-units');
  // tr((M P)²)
  const MP = new Float64Array(kk);
  matmul(M, P, MP, k);
  let trMP2 = 0;
  for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) trMP2 += MP[a * k + c]! * MP[c * k + a]!;
  const tr = sumD - sumQMQ;
  const tr2 = sumD2 - 2 * sumDQMQ + trMP2;
  const df = (tr * tr) / tr2;
  if (!(df > 0)) return undefinedEstimate('few-units');
  return withVariance(beta[j]!, v, df);
}

// out = C S F S x (k-vectors), using tmp, tmp2
function sandwichApply(
  C: Float64Array,
  S: Float64Array,
  F: Float64Array,
  x: ArrayLike<number>,
  tmp: Float64Array,
  tmp2: Float64Array,
  out: Float64Array,
  k: number,
) {
  matvec(S, x, tmp, k);
  matvec(F, tmp, tmp2, k);
  matvec(S, tmp2, tmp, k);
  matvec(C, tmp, out, k);
}

function matvec(A: ArrayLike<number>, x: ArrayLike<number>, out: Float64Array, k: number) {
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += A[a * k + c]! * x[c]!;
    out[a] = s;
  }
}

function matmul(A: ArrayLike<number>, B: ArrayLike<number>, out: Float64Array, k: number) {
  for (let a = 0; a < k; a++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += A[a * k + t]! * B[t * k + c]!;
      out[a * k + c] = s;
    }
}

/** Inverse of a symmetric positive definite matrix by Cholesky; null when (numerically) singular. */
export function inverseSPD(A: ArrayLike<number>, k: number): Float64Array | null {
  const L = new Float64Array(k * k);
  let maxDiag = 0;
  for (let a = 0; a < k; a++) maxDiag = Math.max(maxDiag, A[a * k + a]!);
  for (let a = 0; a < k; a++) {
    for (let c = 0; c <= a; c++) {
      let s = A[a * k + c]!;
      for (let t = 0; t < c; t++) s -= L[a * k + t]! * L[c * k + t]!;
      if (a === c) {
        if (!(s > 1e-12 * maxDiag)) return null;
        L[a * k + a] = Math.sqrt(s);
      } else L[a * k + c] = s / L[c * k + c]!;
    }
  }
  // inverse of L, then L⁻ᵀ L⁻¹
  const Li = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    Li[a * k + a] = 1 / L[a * k + a]!;
    for (let c = 0; c < a; c++) {
      let s = 0;
      for (let t = c; t < a; t++) s -= L[a * k + t]! * Li[t * k + c]!;
      Li[a * k + c] = s / L[a * k + a]!;
    }
  }
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let t = Math.max(a, c); t < k; t++) s += Li[t * k + a]! * Li[t * k + c]!;
      out[a * k + c] = s;
    }
  return out;
}

/** Symmetric square root of a symmetric positive semi-definite matrix. */
export function sqrtSPD(A: ArrayLike<number>, k: number): Float64Array {
  const { values, vectors } = jacobiEigen(A, k);
  const out = new Float64Array(k * k);
  for (let t = 0; t < k; t++) {
    const s = Math.sqrt(Math.max(0, values[t]!));
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) out[a * k + c]! += s * vectors[a * k + t]! * vectors[c * k + t]!;
  }
  return out;
}

/** Eigen-decomposition of a symmetric k×k matrix by cyclic Jacobi rotations; column t of `vectors` goes with values[t]. */
export function jacobiEigen(A0: ArrayLike<number>, k: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(A0 as ArrayLike<number>);
  const V = new Float64Array(k * k);
  for (let a = 0; a < k; a++) V[a * k + a] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0,
      norm = 0;
    for (let a = 0; a < k; a++)
      for (let c = 0; c < k; c++) {
        const x = A[a * k + c]! ** 2;
        norm += x;
        if (a !== c) off += x;
      }
    if (off <= 1e-30 * norm || off === 0) break;
    for (let p = 0; p < k - 1; p++)
      for (let q = p + 1; q < k; q++) {
        const apq = A[p * k + q]!;
        if (apq === 0) continue;
        const theta = (A[q * k + q]! - A[p * k + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = A[r * k + p]!,
            arq = A[r * k + q]!;
          A[r * k + p] = c * arp - s * arq;
          A[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = A[p * k + r]!,
            aqr = A[q * k + r]!;
          A[p * k + r] = c * apr - s * aqr;
          A[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = V[r * k + p]!,
            vrq = V[r * k + q]!;
          V[r * k + p] = c * vrp - s * vrq;
          V[r * k + q] = s * vrp + c * vrq;
        }
      }
  }
  const values = new Float64Array(k);
  for (let a = 0; a < k; a++) values[a] = A[a * k + a]!;
  return { values, vectors: V };
}
