/**
 * The one classification of AWS errors in this package: retry (withRetry), the
 * `estate_secrets_api_calls_total` outcome label and the runtime secret store's stale policy all
 * read it. Pure: a name (and an HTTP status) in, a class out.
 */
export type AwsErrorClass =
  /** Rate limited: back off and try again. */
  | 'throttled'
  /** AWS failed (5xx): try again. */
  | 'server'
  /** No HTTP answer: connection reset or refused, DNS, socket closed. Try again. */
  | 'network'
  /** The request or the attempt timed out. Try again. */
  | 'timeout'
  /** Credentials, IAM or KMS refused the call. An operator fixes it; retrying does not. */
  | 'denied'
  /** The secret, parameter or version does not exist. */
  | 'not-found'
  /** The request cannot succeed as sent: validation, the resource's state, a conflict, a quota. */
  | 'invalid'
  /** Anything else, our own errors included. */
  | 'other';

/**
 * Every AWS error name we classify, by class. Sources: the error lists of the Secrets Manager and
 * SSM API references (the operations this package and the CLI call), the errors common to all AWS
 * APIs, and the retry classification of the SDK our clients use (@smithy/core `retry`:
 * THROTTLING_ERROR_CODES, TRANSIENT_ERROR_CODES, NODEJS_TIMEOUT_ERROR_CODES,
 * NODEJS_NETWORK_ERROR_CODES, CLOCK_SKEW_ERROR_CODES; it exports predicates, not these lists).
 * test/unit/classify-error.test.ts holds the same table and checks it against the SDK.
 */
export const AWS_ERROR_NAMES = {
  throttled: [
    // The SDK's THROTTLING_ERROR_CODES (several are other services' names; an endpoint in between may use them) ...
    'BandwidthLimitExceeded',
    'EC2ThrottledException',
    'PriorRequestNotComplete',
    'ProvisionedThroughputExceededException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'ThrottledException',
    'Throttling',
    'ThrottlingException',
    'TooManyRequestsException',
    'TransactionInProgressException',
    // ... but not LimitExceededException: Secrets Manager answers it for quotas (versions per
    // secret, secrets per account), which backing off for seconds does not lift. It is `invalid`.
    // SSM PutParameter: another update of the parameter is in progress; it passes by itself.
    'TooManyUpdates',
  ],
  server: [
    'InternalServiceError', // Secrets Manager
    'InternalServerError', // SSM
    'InternalFailure', // common
    'ServiceUnavailable', // common
    'ServiceUnavailableException',
  ],
  network: [
    // Node socket errors (the SDK's NODEJS_TIMEOUT_ERROR_CODES and NODEJS_NETWORK_ERROR_CODES).
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENOTFOUND',
    'EAI_AGAIN',
    'socket hang up', // sanitizeAwsError's name for a reset without a code
    'NetworkError', // awsErrorName's name for an SDK error without an HTTP answer
    'NetworkingError', // SDK v2
  ],
  timeout: [
    // The SDK's TRANSIENT_ERROR_CODES. TimeoutError is also what a deadline-aborted attempt becomes.
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
  ],
  denied: [
    'AccessDeniedException',
    'NotAuthorized',
    'OptInRequired',
    // Credentials not valid, expired, or the request signed wrongly.
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'ExpiredTokenException',
    'MissingAuthenticationToken',
    'IncompleteSignature',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    // The SDK's CLOCK_SKEW_ERROR_CODES (besides AccessDeniedException and InvalidSignatureException above).
    'AuthFailure',
    'RequestExpired',
    'RequestInTheFuture',
    'RequestTimeTooSkewed',
    // Secrets Manager could not use the secret's KMS key: kms:Decrypt / kms:GenerateDataKey
    // missing, or the key disabled. Fixed like an AccessDenied.
    'DecryptionFailure',
    'EncryptionFailure',
  ],
  'not-found': ['ResourceNotFoundException', 'ParameterNotFound', 'ParameterVersionNotFound'],
  invalid: [
    // Secrets Manager
    'InvalidParameterException',
    'InvalidRequestException', // e.g. scheduled for deletion, rotation not configured
    'InvalidNextTokenException',
    'LimitExceededException',
    'MalformedPolicyDocumentException',
    'PreconditionNotMetException',
    'PublicPolicyException',
    'ResourceExistsException',
    // SSM (GetParameters, GetParametersByPath, PutParameter)
    'InvalidKeyId',
    'InvalidNextToken',
    'InvalidFilterKey',
    'InvalidFilterOption',
    'InvalidFilterValue',
    'ParameterAlreadyExists',
    'ParameterLimitExceeded',
    'ParameterMaxVersionLimitExceeded',
    'ParameterPatternMismatchException',
    'HierarchyLevelLimitExceededException',
    'HierarchyTypeMismatchException',
    'IncompatiblePolicyException',
    'InvalidAllowedPatternException',
    'InvalidPolicyAttributeException',
    'InvalidPolicyTypeException',
    'PoliciesLimitExceededException',
    'UnsupportedParameterType',
    // common, and the JSON protocol's own
    'InvalidAction',
    'ValidationError',
    'ValidationException',
    'SerializationException',
  ],
} as const satisfies Record<Exclude<AwsErrorClass, 'other'>, readonly string[]>;

const BY_NAME: ReadonlyMap<string, AwsErrorClass> = new Map(
  Object.entries(AWS_ERROR_NAMES).flatMap(([errorClass, names]) =>
    names.map((name): [string, AwsErrorClass] => [name, errorClass as AwsErrorClass]),
  ),
);

const RETRYABLE: ReadonlySet<AwsErrorClass> = new Set(['throttled', 'server', 'network', 'timeout']);

/** Throttling, 5xx, network and timeouts: what may pass by itself, so what we retry. */
export function isRetryableClass(errorClass: AwsErrorClass): boolean {
  return RETRYABLE.has(errorClass);
}

/**
 * The class of an AWS error name (or Node network code). The name decides; for a name we do not
 * know, the status does as it does for the SDK: 429 is throttling, any 5xx a server failure.
 */
export function classifyAwsErrorName(name: string, httpStatus?: number): AwsErrorClass {
  const known = BY_NAME.get(name);
  if (known) return known;
  if (httpStatus === 429) return 'throttled';
  if (httpStatus !== undefined && httpStatus >= 500 && httpStatus <= 599) return 'server';
  return 'other';
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  cause?: { code?: unknown };
  $metadata?: { httpStatusCode?: number };
}

/**
 * The class of an error thrown by an AWS SDK v3 client (duck-typed: it may come from another
 * realm). Besides the name and status: an error the SDK's retry middleware passed (it always sets
 * `$metadata`) without an HTTP status never got an answer, so an unknown name there is `network`
 * (a credential provider that could not reach IMDS, for one); an AbortError stays `other`.
 */
export function classifyAwsError(error: unknown): AwsErrorClass {
  if (typeof error !== 'object' || error === null) return 'other';
  const metadata = (error as SdkErrorShape).$metadata;
  const name = awsErrorName(error);
  const byName = classifyAwsErrorName(name, metadata?.httpStatusCode);
  // An abort is the caller's doing, not the network's (the SDK does not retry it either).
  const noAnswer = metadata !== undefined && metadata.httpStatusCode === undefined && name !== 'AbortError';
  return byName === 'other' && noAnswer ? 'network' : byName;
}

/**
 * The AWS error name of an SDK error, or its Node network code (ECONNRESET, ..., on the error or
 * its cause) when the request never got an answer; `NetworkError` for an unnamed SDK error without
 * an HTTP answer.
 */
export function awsErrorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UnknownError';
  const { name, code, cause, $metadata } = error as SdkErrorShape;
  for (const candidate of [code, cause?.code]) {
    if (
      typeof candidate === 'string' &&
      /^E[A-Z_]+$/.test(candidate) &&
      BY_NAME.get(candidate) === 'network'
    ) {
      return candidate;
    }
  }
  // The SDK tried and got no HTTP answer at all.
  if ($metadata && $metadata.httpStatusCode === undefined && name === 'Error') return 'NetworkError';
  return typeof name === 'string' && name !== '' ? name : 'UnknownError';
}
