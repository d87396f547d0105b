import { postgresPasswordStrategy } from './postgres-password';
import { randomKeyStrategy } from './random-key';
import type { RotationStrategy } from './strategy';

/** The catalog's `rotation` values and what carries them out. */
export const STRATEGIES: Record<string, RotationStrategy> = {
  'random-key': randomKeyStrategy,
  'postgres-password': postgresPasswordStrategy,
};

export type { RotationStrategy, RotationTarget } from './strategy';
