/** An error the API answers with `{ error: { code, field, message } }` and its own status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): { error: { code: string; field: string | null; message: string } } {
    return { error: { code: this.code, field: this.field, message: this.message } };
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

/** 503 with Retry-After: a dependency is away or at capacity; the same request may work later. */
export const unavailable = (code: string, message: string, retryAfterSeconds: number) =>
  new ApiError(503, code, message, null, { 'Retry-After': String(retryAfterSeconds) });
