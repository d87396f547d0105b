import { z } from 'zod';

/** A 5-digit LAWD_CD: the sigungu (city district) code MOLIT uses, e.g. 11680 (Gangnam-gu). */
export const RegionCode = z.string().regex(/^\d{5}$/, 'must be a 5-digit region code (LAWD_CD)');
export type RegionCode = z.infer<typeof RegionCode>;

/**
 * Identifies one load of the market data (the ETL run that produced it). Opaque to consumers;
 * restricted to characters that are safe in job ids and keys.
 */
export const DataVersion = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 characters of A-Z, a-z, 0-9, ., _ or -');
export type DataVersion = z.infer<typeof DataVersion>;
