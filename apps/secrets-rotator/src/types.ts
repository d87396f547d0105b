import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { z } from 'zod';

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** What Secrets Manager sends the rotation function (and what @estate/secrets-local's hook sends). */
export interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: RotationStep;
}

/** Connection settings of the database whose role the `postgres-password` strategy rotates. */
export interface DatabaseSettings {
  host: string;
  port: number;
  dbname: string;
  /** The application role whose password rotates (`estate_app`). */
  username: string;
}

/** What one log line may carry: names, ids, stages, steps, error names. Never a value. */
export interface RotationLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** The catalog as the rotator needs it: a schema and a strategy name per group. */
export type RotationCatalog = Record<string, { schema: z.ZodType; rotation?: string }>;

export interface RotateDeps {
  client: SecretsManagerClient;
  /**
   * Where a first database value comes from when the secret has no AWSCURRENT yet (the rotation
   * Terraform runs at apply time writes the first value of estate/{env}/database).
   */
  database?: DatabaseSettings;
  /**
   * A secret holding `{ username, password }` of a role allowed to ALTER ROLE (the RDS master
   * secret). When set, setSecret connects with it; otherwise with AWSCURRENT, then AWSPREVIOUS.
   */
  masterSecretId?: string;
  /** Default: the @estate/secrets catalog. */
  catalog?: RotationCatalog;
  /** Default 5000 ms: how long one PostgreSQL connection attempt may take. */
  connectTimeoutMs?: number;
  logger?: RotationLogger;
}
