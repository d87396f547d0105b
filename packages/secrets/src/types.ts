import type { z } from 'zod';
import type {
  Environment,
  ParameterValueOf,
  SecretDeclaration,
  SecretValueOf,
  ServiceManifest,
} from './manifest';
import type { SensitiveValue } from './redaction';

/** pino-compatible: (object, message). The default logger is silent. */
export interface LoggerLike {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** AWSPREVIOUS of a keepPrevious group: undefined before the first rotation. */
export type PreviousValueOf<D> = D extends SecretDeclaration<infer S> ? z.output<S> | undefined : never;

export type ChangeListener<D> = (next: SecretValueOf<D>, previous: SecretValueOf<D> | undefined) => void;

export type GroupOutcome = 'changed' | 'unchanged' | 'failed' | 'rejected' | 'absent';

export interface RefreshReport {
  /** True when every group was read and accepted. */
  ok: boolean;
  startedAt: string;
  durationMs: number;
  /** Outcome per manifest key. */
  groups: Record<string, GroupOutcome>;
  /** Keys whose AWSCURRENT version changed and whose listeners ran. */
  changed: string[];
  /** What went wrong, by name (no values). */
  errors: Array<{ key: string; name: string; errorName: string; fieldPath?: string }>;
}

export interface GroupHealth {
  name: string;
  versionId: string | undefined;
  lastRefreshAt: string | undefined;
  ageSeconds: number | undefined;
  stale: boolean;
  /** An optional group that does not exist. */
  absent: boolean;
  consecutiveFailures: number;
  lastErrorName?: string;
}

export interface SecretsHealth {
  status: 'fresh' | 'stale';
  groups: Record<string, GroupHealth>;
  lastError?: { errorName: string; at: string; keys: string[] };
}

export interface Secrets<M extends ServiceManifest> {
  readonly service: string;
  readonly env: Environment;
  readonly source: string;
  get<K extends keyof M['secrets'] & string>(key: K): SecretValueOf<M['secrets'][K]>;
  previous<K extends keyof M['secrets'] & string>(key: K): PreviousValueOf<M['secrets'][K]>;
  versionId<K extends keyof M['secrets'] & string>(key: K): string | undefined;
  previousVersionId<K extends keyof M['secrets'] & string>(key: K): string | undefined;
  param<K extends keyof M['parameters'] & string>(key: K): ParameterValueOf<M['parameters'][K]>;
  onChange<K extends keyof M['secrets'] & string>(
    key: K,
    listener: ChangeListener<M['secrets'][K]>,
  ): () => void;
  refresh(key?: keyof M['secrets'] & string): Promise<RefreshReport>;
  health(): SecretsHealth;
  /** Every loaded sensitive string, current and previous, for the leak guard (createSecretsLogger). */
  secretValues(): readonly SensitiveValue[];
  close(): void;
}
