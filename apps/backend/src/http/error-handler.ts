import type { ErrorRequestHandler } from 'express';
import { ApiError } from './api-error';

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
