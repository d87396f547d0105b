import type { z } from 'zod';
import type { SecretObject, SecretVersions } from '../secret-versions';
import type { RotateDeps, RotationLogger } from '../types';

/** The secret being rotated, resolved from its name and the catalog. */
export interface RotationTarget {
  secretName: string;
  env: string;
  group: string;
  /** The catalog's `rotation` value. */
  strategy: string;
  schema: z.ZodType;
  versions: SecretVersions;
  deps: RotateDeps;
  logger: RotationLogger;
}

export interface StageValues {
  pending: SecretObject;
  current: SecretObject | undefined;
  previous: SecretObject | undefined;
}

/**
 * What differs between kinds of secret. The protocol (stage checks, idempotence, the puts and the
 * label moves) lives once in rotate.ts; a strategy only makes a value, applies it to the service
 * that checks it, and tests it there.
 */
export interface RotationStrategy {
  /** The new value, built from AWSCURRENT (undefined: the secret has no value yet). */
  createValue(current: SecretObject | undefined, target: RotationTarget): SecretObject;
  /** Makes the protected service accept the pending value; must succeed when it already does. */
  setValue(values: StageValues, target: RotationTarget): Promise<void>;
  /** Proves the pending value works; changes nothing. */
  testValue(values: StageValues, target: RotationTarget): Promise<void>;
}
