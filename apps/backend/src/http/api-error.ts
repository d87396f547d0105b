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
