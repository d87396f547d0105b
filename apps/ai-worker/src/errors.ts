import { UnrecoverableError } from 'bullmq';

/** Retryable: the OpenAI API answered 429 or 5xx, or could not be reached. BullMQ retries with backoff. */
export class OpenAITransientError extends Error {
  override readonly name = 'OpenAITransientError';
  readonly code = 'OPENAI_TRANSIENT';
  constructor(
    /** HTTP status, or undefined for a connection error or timeout. */
    readonly status: number | undefined,
    /** How long the API asked us to wait (Retry-After / retry-after-ms), when it said. */
    readonly retryAfterMs: number | undefined,
    detail: string,
  ) {
    super(`OpenAI API ${status === undefined ? 'unreachable' : `answered ${status}`}: ${detail}`);
  }
}

/** Final: the API key was rejected again after one forced refresh of the openai secret. */
export class OpenAIKeyRejectedError extends UnrecoverableError {
  override readonly name = 'OpenAIKeyRejectedError';
  readonly code = 'OPENAI_KEY_REJECTED';
  constructor(secretName: string, refreshedKey: boolean) {
    super(
      refreshedKey
        ? `OpenAI API rejected the API key (401) twice: the key from ${secretName} was refreshed and retried once; check the key and its organization`
        : `OpenAI API rejected the API key (401); a forced refresh of ${secretName} found no new key: rotate the key in Secrets Manager`,
    );
  }
}

/** Final: another 4xx (bad model name, bad request): retrying the same request cannot help. */
export class OpenAIRequestRejectedError extends UnrecoverableError {
  override readonly name = 'OpenAIRequestRejectedError';
  readonly code = 'OPENAI_REQUEST_REJECTED';
  constructor(status: number, detail: string) {
    super(`OpenAI API rejected the request (${status}): ${detail}`);
  }
}

export interface OutputIssue {
  path: string;
  message: string;
}

/** The attempt fails (BullMQ retries it): the model's answer was not the JSON we asked for. */
export class ModelOutputError extends Error {
  override readonly name = 'ModelOutputError';
  readonly code = 'MODEL_OUTPUT_INVALID';
  constructor(readonly issues: readonly OutputIssue[]) {
    // Field paths and zod messages only: never the model's text.
    super(`model output failed validation: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** Final: no deals are loaded for the job's region and period, so there is nothing to summarise. */
export class NoMarketDataError extends UnrecoverableError {
  override readonly name = 'NoMarketDataError';
  readonly code = 'NO_MARKET_DATA';
  constructor(region: string, period: string) {
    super(`no apartment deals are loaded for region ${region} in ${period}`);
  }
}
