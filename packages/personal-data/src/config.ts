import { z } from 'zod';
import { developmentMasterKey, parseMasterKey } from './key-ring.ts';

/**
 * `THREADLINE_MASTER_KEY` for a service's config schema: base64 of 32 bytes, the development key
 * when unset (never for production: it is in this repository).
 */
export const masterKeyEnvironment = {
  THREADLINE_MASTER_KEY: z
    .string()
    .default(developmentMasterKey)
    .refine(
      (text) => Buffer.from(text, 'base64').length === 32,
      'THREADLINE_MASTER_KEY must be 32 bytes, base64-encoded',
    )
    .transform(parseMasterKey),
};
