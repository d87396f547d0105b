import { SecretsError } from '../errors';

/**
 * Errors of the runtime-managed secret store. Messages carry the secret name, the operation and
 * the AWS error name, never a value, a request id or a token; `cause` is not kept because AWS
 * errors carry request metadata.
 */
export class RuntimeSecretError extends SecretsError {
  readonly secretName: string | undefined;
  /** The AWS error name behind this error, when there is one. */
  readonly awsErrorName: string | undefined;

  constructor(message: string, options: { code?: string; secretName?: string; awsErrorName?: string } = {}) {
    super(options.code ?? 'RUNTIME_SECRET_FAILED', message);
    this.secretName = options.secretName;
    this.awsErrorName = options.awsErrorName;
  }
}

/** A name built from runtime input (organization id, tool) is not allowed. */
export class RuntimeSecretNameError extends RuntimeSecretError {
  constructor(message: string) {
    super(message, { code: 'RUNTIME_SECRET_NAME_INVALID' });
  }
}

export class RuntimeSecretNotFoundError extends RuntimeSecretError {
  constructor(secretName: string, operation: string) {
    super(`${operation} ${secretName}: ResourceNotFoundException: the secret does not exist`, {
      code: 'RUNTIME_SECRET_NOT_FOUND',
      secretName,
      awsErrorName: 'ResourceNotFoundException',
    });
  }
}

export class RuntimeSecretAccessDeniedError extends RuntimeSecretError {
  constructor(secretName: string, operation: string) {
    super(
      `${operation} ${secretName}: AccessDeniedException (hint: allow secretsmanager:${operation} on this secret's ARN, and kms:Decrypt on its key)`,
      { code: 'RUNTIME_SECRET_ACCESS_DENIED', secretName, awsErrorName: 'AccessDeniedException' },
    );
  }
}

/** The same ClientRequestToken was used before with another value, or a version conflict. */
export class RuntimeSecretConflictError extends RuntimeSecretError {
  constructor(secretName: string, operation: string, awsErrorName: string, detail: string) {
    super(`${operation} ${secretName}: ${awsErrorName}: ${detail}`, {
      code: 'RUNTIME_SECRET_CONFLICT',
      secretName,
      awsErrorName,
    });
  }
}

/** The stored value is not a JSON object, or does not satisfy the schema it is read with. */
export class RuntimeSecretValidationError extends RuntimeSecretError {
  /** `path: message` per problem, without values. */
  readonly issues: readonly string[];

  constructor(secretName: string, issues: string[]) {
    super(`${secretName}: invalid value: ${issues.join('; ')}`, {
      code: 'RUNTIME_SECRET_INVALID',
      secretName,
    });
    this.issues = issues;
  }
}

/** Token endpoint refused or failed a refresh. Carries the OAuth error code, never a token. */
export class OAuthTokenRefreshError extends RuntimeSecretError {
  /** RFC 6749 section 5.2 error code (invalid_grant, invalid_client, ...) when the provider sent one. */
  readonly oauthError: string | undefined;
  readonly status: number | undefined;
  /** A network failure, 5xx or 429: trying again later may work. invalid_grant and friends will not. */
  readonly transient: boolean;

  constructor(
    secretName: string,
    detail: { oauthError?: string; status?: number; transient: boolean; reason: string },
  ) {
    super(`refresh of ${secretName}: ${detail.reason}`, {
      code: 'OAUTH_TOKEN_REFRESH_FAILED',
      secretName,
    });
    this.oauthError = detail.oauthError;
    this.status = detail.status;
    this.transient = detail.transient;
  }
}

const TRANSIENT = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServiceError',
  'InternalServiceErrorException',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
]);

/** Is this a failure that may go away by itself (throttling, 5xx, network)? */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  // The SDK tried and got no HTTP answer at all: a network failure.
  if (metadata && metadata.httpStatusCode === undefined) return true;
  const status = metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (TRANSIENT.has(awsErrorName(error))) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN)$/.test(code);
}

/**
 * The AWS error name of an SDK error (duck-typed: errors may come from another realm), or the
 * network error code (ECONNRESET, ...) when the request never got an answer.
 */
export function awsErrorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UnknownError';
  const { name, code, cause, $metadata } = error as {
    name?: unknown;
    code?: unknown;
    cause?: { code?: unknown };
    $metadata?: { httpStatusCode?: number };
  };
  for (const candidate of [code, cause?.code]) {
    if (typeof candidate === 'string' && /^E[A-Z_]+$/.test(candidate)) return candidate;
  }
  if ($metadata && $metadata.httpStatusCode === undefined && (name === 'Error' || name === 'TimeoutError')) {
    return 'NetworkError';
  }
  return typeof name === 'string' && name !== '' ? name : 'UnknownError';
}

/** Turns an AWS SDK error into one of ours, naming the secret and the operation only. */
export function toRuntimeSecretError(
  error: unknown,
  operation: string,
  secretName: string,
): RuntimeSecretError {
  if (error instanceof RuntimeSecretError) return error;
  const name = awsErrorName(error);
  switch (name) {
    case 'ResourceNotFoundException':
      return new RuntimeSecretNotFoundError(secretName, operation);
    case 'AccessDeniedException':
      return new RuntimeSecretAccessDeniedError(secretName, operation);
    case 'ResourceExistsException':
      return new RuntimeSecretConflictError(
        secretName,
        operation,
        name,
        'a version with this ClientRequestToken already exists with a different value',
      );
    case 'InvalidRequestException':
      return new RuntimeSecretError(
        `${operation} ${secretName}: ${name}: the secret is in a state that does not allow this (scheduled for deletion, or rotation not configured)`,
        { secretName, awsErrorName: name },
      );
    default:
      return new RuntimeSecretError(`${operation} ${secretName}: ${name}`, {
        secretName,
        awsErrorName: name,
      });
  }
}
