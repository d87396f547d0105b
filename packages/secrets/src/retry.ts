import { classifyAwsErrorName, isRetryableClass } from './aws/classify-error';
import { RetryDeadlineError, SourceError } from './errors';

/**
 * Our only retry policy (the SDK clients are built with maxAttempts: 1, so attempts are not
 * multiplied and every attempt is bounded by one deadline): capped exponential backoff with full
 * jitter, for throttling, 5xx, network errors and timeouts only.
 */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected by tests; Math.random otherwise. */
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 50, maxDelayMs: 2_000 };

/** Throttling, 5xx, network errors and timeouts (aws/classify-error.ts), nothing else. */
export function isRetryable(error: SourceError): boolean {
  return isRetryableClass(classifyAwsErrorName(error.errorName, error.httpStatus));
}

/** delay = random(0, min(cap, base * 2^attempt)); attempt counts from 0. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

export interface RetryContext {
  deadlineAt: number;
  signal?: AbortSignal;
  policy: RetryPolicy;
  /** Turns whatever the attempt threw into a sanitised error. */
  classify(error: unknown): SourceError;
  onAttempt?(error: SourceError | undefined): void;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the deadline passes.
 * Each attempt gets a signal that aborts at the deadline, so a hanging endpoint cannot outlast it.
 */
export async function withRetry<T>(
  operation: string,
  attempt: (signal: AbortSignal) => Promise<T>,
  context: RetryContext,
): Promise<T> {
  const startedAt = Date.now();
  let attempts = 0;
  let last: SourceError | undefined;
  for (;;) {
    const remaining = context.deadlineAt - Date.now();
    if (remaining <= 0) {
      throw new RetryDeadlineError(
        operation,
        attempts,
        Date.now() - startedAt,
        last?.errorName ?? 'TimeoutError',
      );
    }
    const timeout = AbortSignal.timeout(remaining);
    const signal = context.signal ? AbortSignal.any([timeout, context.signal]) : timeout;
    try {
      const result = await attempt(signal);
      context.onAttempt?.(undefined);
      return result;
    } catch (error) {
      attempts += 1;
      if (timeout.aborted) {
        context.onAttempt?.(new SourceError('TimeoutError', `${operation}: no answer before the deadline`));
        // Name what kept failing (throttling, 5xx) rather than the cut-off attempt, when there was something.
        throw new RetryDeadlineError(
          operation,
          attempts,
          Date.now() - startedAt,
          last?.errorName ?? 'TimeoutError',
        );
      }
      last = context.classify(error);
      context.onAttempt?.(last);
      if (context.signal?.aborted) throw last;
      if (!isRetryable(last)) throw last;
    }
    const delay = backoffDelay(attempts - 1, context.policy);
    if (Date.now() + delay >= context.deadlineAt) {
      throw new RetryDeadlineError(operation, attempts, Date.now() - startedAt, last.errorName);
    }
    await sleep(delay, context.signal);
  }
}

/**
 * A backoff pause. Its timer keeps the process alive on purpose: at startup nothing else may, and
 * an unref'd pause let a throttled service exit 0 in the middle of loadSecrets. close() aborts it.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
