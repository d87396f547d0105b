import { RetryDeadlineError, SourceError } from '../errors';

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * Reduces an AWS SDK error to a SourceError. AWS service errors keep their name and AWS's message
 * (it names actions and ARNs). Anything else keeps only a name: a deserialisation error's message
 * or `$response` may carry the body, which may carry a value.
 */
export function sanitizeAwsError(error: unknown): SourceError {
  if (error instanceof SourceError) return error;
  if (error instanceof RetryDeadlineError) return new SourceError('RetryDeadlineError', error.message);
  const e = (error ?? {}) as SdkErrorShape;
  const httpStatus = e.$metadata?.httpStatusCode;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && NETWORK_CODES.has(code)) return new SourceError(code, `network error ${code}`, httpStatus);
  if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) {
    return new SourceError('socket hang up', 'network error: socket hang up', httpStatus);
  }
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

export function apiOutcome(error: SourceError | undefined): string {
  if (!error) return 'success';
  const { errorName, httpStatus } = error;
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(errorName)) return 'throttled';
  if (errorName === 'AccessDeniedException') return 'denied';
  if (errorName === 'ResourceNotFoundException' || errorName === 'ParameterNotFound') return 'not_found';
  if (errorName === 'TimeoutError') return 'timeout';
  if (NETWORK_CODES.has(errorName) || errorName === 'socket hang up') return 'network_error';
  if ((httpStatus ?? 0) >= 500 || /Internal/.test(errorName)) return 'server_error';
  return 'error';
}
