import { randomBytes } from 'node:crypto';

/** A short unique, identifier-safe name for one suite's resources: `estate_test_<pid>_<hex>`. */
export function uniqueName(prefix = 'estate_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
