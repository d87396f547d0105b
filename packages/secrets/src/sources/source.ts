/**
 * What the loader needs from a backend: many secrets by name and stage, many parameters by name.
 * A source answers per item: one missing or denied secret does not hide the others. A failure of a
 * whole call (throttling past the deadline, a network error) becomes a failure of each item in it.
 */
export type VersionStage = 'AWSCURRENT' | 'AWSPREVIOUS';

export interface SecretRequest {
  /** `estate/{env}/{group}` */
  name: string;
  stage: VersionStage;
}

/** Why one item could not be read; safe to log (names, ARNs, AWS error names; never a value). */
export interface ItemFailure {
  /** AWS error name (AccessDeniedException, ...), `RetryDeadlineError`, or the source's own. */
  errorName: string;
  message: string;
  /** The item does not exist: an optional group is then absent, a parameter takes its default. */
  notFound: boolean;
  /** The ARN AWS named in its answer, when it did (for the IAM hint). */
  arn?: string;
  /** A hint the source knows better than the loader (the env source names the variable). */
  hint?: string;
}

export type SecretResult =
  | {
      ok: true;
      name: string;
      stage: VersionStage;
      versionId: string;
      arn?: string;
      secretString?: string;
      secretBinary?: Uint8Array;
    }
  | { ok: false; name: string; stage: VersionStage; failure: ItemFailure };

export type ParameterResult =
  | { ok: true; name: string; value: string; version: string }
  | { ok: false; name: string; failure: ItemFailure };

export interface FetchContext {
  /** Epoch ms after which no new attempt starts and in-flight requests are aborted. */
  deadlineAt: number;
  /** Aborted when the container closes. */
  signal?: AbortSignal;
}

export interface SecretSource {
  /** `aws` or `env`; a custom source may say anything. */
  readonly kind: string;
  /** One line for the startup log, without values: `aws (endpoint http://...)`. */
  describe(): string;
  getSecrets(requests: readonly SecretRequest[], context: FetchContext): Promise<SecretResult[]>;
  getParameters(names: readonly string[], context: FetchContext): Promise<ParameterResult[]>;
  close(): void;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
