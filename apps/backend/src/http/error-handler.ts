import { isDatabaseUnavailable } from '@estate/platform';
import type { ErrorRequestHandler } from 'express';
import { ApiError, unavailable } from './api-error';

/** Seconds a client is told to wait while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Turns any error into the API's error body; unexpected ones become a 500 without details. */
export const errorHandler: ErrorRequestHandler = (error, request, response, _next) => {
  const known = toApiError(error);
  if (!known) {
    request.log?.error({ err: error }, 'request failed');
    response.status(500).json(new ApiError(500, 'internal_error', 'internal error').toBody());
    return;
  }
  response.status(known.status).set(known.headers).json(known.toBody());
};

function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  // Down, frozen or out of time (connect, pool slot, statement and query timeouts): every route
  // that reads the database answers within those bounds, never hangs and never says 500.
  if (isDatabaseUnavailable(error)) {
    return unavailable(
      'database_unavailable',
      'the database cannot be reached right now; retry later',
      DATABASE_RETRY_AFTER_SECONDS,
    );
  }
  const parser = error as BodyParserError;
  switch (parser?.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'malformed_json', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new ApiError(400, 'body_too_large', 'the request body is larger than the limit');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(400, 'unsupported_encoding', 'the request body encoding is not supported');
    default:
      return undefined;
  }
}
