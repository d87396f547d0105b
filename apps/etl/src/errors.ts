/**
 * Every failure the job reports by name. `scope` says how far a failure reaches: `period` fails
 * one (source, series, period) and the run goes on with the others; `run` stops the run.
 * Messages name sources, codes and secret names, never a key or a URL carrying one.
 */
export type FailureScope = 'period' | 'run';
export type SourceName = 'rone' | 'molit';

export class EtlError extends Error {
  override readonly name: string = 'EtlError';
  readonly code: string;

  constructor(message: string, options: { code: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

/** A source answered with an error, or did not answer. */
export class SourceError extends EtlError {
  override readonly name: string = 'SourceError';
  readonly source: SourceName;
  /** The source's own result code (ERROR-337, 22, ...) when it gave one. */
  readonly sourceCode: string | undefined;
  readonly scope: FailureScope;
  /** Worth another attempt after a pause (dropped connection, per-second limit, 5xx). */
  readonly retryable: boolean;

  constructor(
    message: string,
    options: {
      code: string;
      source: SourceName;
      sourceCode?: string;
      scope: FailureScope;
      retryable?: boolean;
      cause?: unknown;
    },
  ) {
    super(message, options);
    this.source = options.source;
    this.sourceCode = options.sourceCode;
    this.scope = options.scope;
    this.retryable = options.retryable ?? false;
  }
}

/** The key was refused (invalid, restricted, not registered, expired): nothing will work this run. */
export class SourceAuthError extends SourceError {
  override readonly name: string = 'SourceAuthError';
}

/** The daily quota is spent: stop now, the next run resumes from the watermarks. */
export class QuotaExceededError extends SourceError {
  override readonly name: string = 'QuotaExceededError';
}

/** Fewer rows arrived than the source announced: the period is not kept. */
export class IncompletePeriodError extends SourceError {
  override readonly name: string = 'IncompletePeriodError';
}

/** Connections kept dropping (or 5xx) after every retry. */
export class SourceUnavailableError extends SourceError {
  override readonly name: string = 'SourceUnavailableError';
}

/** Another run holds the job's advisory lock. */
export class RunLockedError extends EtlError {
  override readonly name: string = 'RunLockedError';
}

/** Bad command-line input; the message names the flag. */
export class UsageError extends EtlError {
  override readonly name: string = 'UsageError';
}

/** The event could not be confirmed by the broker. */
export class PublishError extends EtlError {
  override readonly name: string = 'PublishError';
}
