import { awsErrorName, classifyAwsError, isRetryableClass } from '../aws/classify-error';
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

/**
 * Is this a failure that may go away by itself (throttling, 5xx, network, timeout)? The same
 * classes withRetry retries (aws/classify-error.ts).
 */
export function isTransientAwsError(error: unknown): boolean {
  return isRetryableClass(classifyAwsError(error));
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
