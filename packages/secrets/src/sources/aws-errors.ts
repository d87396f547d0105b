import { awsErrorName, classifyAwsErrorName } from '../aws/classify-error';
import { RetryDeadlineError, SourceError } from '../errors';

interface SdkErrorShape {
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Reduces an AWS SDK error to a SourceError. AWS service errors keep their name and AWS's message
 * (it names actions and ARNs). Anything else keeps only a name: a deserialisation error's message
 * or `$response` may carry the body, which may carry a value. Which names are retried, counted as
 * what, is aws/classify-error.ts's business.
 */
export function sanitizeAwsError(error: unknown): SourceError {
  if (error instanceof SourceError) return error;
  if (error instanceof RetryDeadlineError) return new SourceError('RetryDeadlineError', error.message);
  const e = (error ?? {}) as SdkErrorShape;
  const httpStatus = e.$metadata?.httpStatusCode;
  // ECONNRESET and friends (from `code` or `cause.code`), else the error's name.
  const name = typeof error === 'object' && error !== null ? awsErrorName(error) : 'Error';
  if (/^E[A-Z_]+$/.test(name) && classifyAwsErrorName(name) === 'network') {
    return new SourceError(name, `network error ${name}`, httpStatus);
  }
  if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) {
    return new SourceError('socket hang up', 'network error: socket hang up', httpStatus);
  }
  // An attempt aborted by its signal is one that hit the deadline.
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new SourceError('TimeoutError', 'the request timed out', httpStatus);
  }
  if ((e.$fault === 'client' || e.$fault === 'server') && typeof e.message === 'string' && name !== 'Error') {
    return new SourceError(name, e.message.slice(0, 500), httpStatus);
  }
  return new SourceError(name, `${name}${httpStatus ? ` (HTTP ${httpStatus})` : ''}`, httpStatus);
}

/** AWS names the resource in AccessDenied messages; the hint repeats it. */
export function arnIn(message: string): string | undefined {
  return /arn:aws[\w-]*:(?:secretsmanager|ssm|kms):[^\s,]+/.exec(message)?.[0];
}
