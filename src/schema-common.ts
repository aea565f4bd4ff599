// Zod building blocks shared by the schema modules.
import { z } from 'zod';

export const prob = z.number().min(0).max(1);
export const openProb = z.number().gt(0, 'must be > 0 (one arm would be empty)').lt(1, 'must be < 1 (one arm would be empty)');
export const posInt = z.number().int().positive();
