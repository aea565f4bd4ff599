// Bounds on model parameters, so that no model can overflow (issue 13).
import { z } from 'zod';

/**
 * The largest magnitude of a model's effect and scale parameters (alpha,
 * beta, gamma, sigma, tau, a, b). An outcome is a sum of a few such terms
 * times bounded draws, so with 1e6 a user's outcome stays near 1e7 and the
 * sums of squares over ten million users and thousands of replications near
 * 1e28: far from overflow (1.8e308), and far from where the difference of
 * two worlds loses its digits. (1e308 printed a truth of 0, 1e200 Infinity.)
 */
export const PARAMETER_LIMIT = 1e6;

/** A model parameter between `min` (default -PARAMETER_LIMIT) and PARAMETER_LIMIT; the message names the limit. */
export function boundedParameter(min = -PARAMETER_LIMIT): z.ZodNumber {
  const message = `must be between ${min} and ${PARAMETER_LIMIT} (larger magnitudes overflow the simulation)`;
  return z.number().min(min, message).max(PARAMETER_LIMIT, message);
}
