import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as SecretsManager from '@aws-sdk/client-secrets-manager';
import * as SSM from '@aws-sdk/client-ssm';
import {
  AWS_ERROR_NAMES,
  type AwsErrorClass,
  awsErrorName,
  classifyAwsError,
  classifyAwsErrorName,
  isRetryableClass,
} from '../../src/aws/classify-error';
import { SourceError } from '../../src/errors';
import { apiCallOutcome } from '../../src/metrics';
import { isRetryable } from '../../src/retry';
import { sanitizeAwsError } from '../../src/sources/aws-errors';
import { isTransientAwsError } from '../../src/store';

/** Every name the classifier knows, and a few it does not, with the class each must get. */
const TABLE: ReadonlyArray<readonly [string, AwsErrorClass]> = [
  // throttled
  ['ThrottlingException', 'throttled'],
  ['Throttling', 'throttled'],
  ['TooManyRequestsException', 'throttled'],
  ['RequestLimitExceeded', 'throttled'],
  ['ThrottledException', 'throttled'],
  ['RequestThrottled', 'throttled'],
  ['RequestThrottledException', 'throttled'],
  ['SlowDown', 'throttled'],
  ['BandwidthLimitExceeded', 'throttled'],
  ['EC2ThrottledException', 'throttled'],
  ['PriorRequestNotComplete', 'throttled'],
  ['ProvisionedThroughputExceededException', 'throttled'],
  ['TransactionInProgressException', 'throttled'],
  ['TooManyUpdates', 'throttled'],
  // server
  ['InternalServiceError', 'server'],
  ['InternalServerError', 'server'],
  ['InternalFailure', 'server'],
  ['ServiceUnavailable', 'server'],
  ['ServiceUnavailableException', 'server'],
  // network
  ['ECONNRESET', 'network'],
  ['ECONNREFUSED', 'network'],
  ['EPIPE', 'network'],
  ['ETIMEDOUT', 'network'],
  ['EHOSTUNREACH', 'network'],
  ['ENETUNREACH', 'network'],
  ['ENOTFOUND', 'network'],
  ['EAI_AGAIN', 'network'],
  ['socket hang up', 'network'],
  ['NetworkError', 'network'],
  ['NetworkingError', 'network'],
  // timeout
  ['TimeoutError', 'timeout'],
  ['RequestTimeout', 'timeout'],
  ['RequestTimeoutException', 'timeout'],
  // denied
  ['AccessDeniedException', 'denied'],
  ['NotAuthorized', 'denied'],
  ['OptInRequired', 'denied'],
  ['UnrecognizedClientException', 'denied'],
  ['InvalidClientTokenId', 'denied'],
  ['ExpiredTokenException', 'denied'],
  ['MissingAuthenticationToken', 'denied'],
  ['IncompleteSignature', 'denied'],
  ['InvalidSignatureException', 'denied'],
  ['SignatureDoesNotMatch', 'denied'],
  ['AuthFailure', 'denied'],
  ['RequestExpired', 'denied'],
  ['RequestInTheFuture', 'denied'],
  ['RequestTimeTooSkewed', 'denied'],
  ['DecryptionFailure', 'denied'],
  ['EncryptionFailure', 'denied'],
  // not-found
  ['ResourceNotFoundException', 'not-found'],
  ['ParameterNotFound', 'not-found'],
  ['ParameterVersionNotFound', 'not-found'],
  // invalid
  ['InvalidParameterException', 'invalid'],
  ['InvalidRequestException', 'invalid'],
  ['InvalidNextTokenException', 'invalid'],
  ['LimitExceededException', 'invalid'],
  ['MalformedPolicyDocumentException', 'invalid'],
  ['PreconditionNotMetException', 'invalid'],
  ['PublicPolicyException', 'invalid'],
  ['ResourceExistsException', 'invalid'],
  ['InvalidKeyId', 'invalid'],
  ['InvalidNextToken', 'invalid'],
  ['InvalidFilterKey', 'invalid'],
  ['InvalidFilterOption', 'invalid'],
  ['InvalidFilterValue', 'invalid'],
  ['ParameterAlreadyExists', 'invalid'],
  ['ParameterLimitExceeded', 'invalid'],
  ['ParameterMaxVersionLimitExceeded', 'invalid'],
  ['ParameterPatternMismatchException', 'invalid'],
  ['HierarchyLevelLimitExceededException', 'invalid'],
  ['HierarchyTypeMismatchException', 'invalid'],
  ['IncompatiblePolicyException', 'invalid'],
  ['InvalidAllowedPatternException', 'invalid'],
  ['InvalidPolicyAttributeException', 'invalid'],
  ['InvalidPolicyTypeException', 'invalid'],
  ['PoliciesLimitExceededException', 'invalid'],
  ['UnsupportedParameterType', 'invalid'],
  ['InvalidAction', 'invalid'],
  ['ValidationError', 'invalid'],
  ['ValidationException', 'invalid'],
  ['SerializationException', 'invalid'],
  // other: our own names, and anything unknown
  ['AbortError', 'other'],
  ['RetryDeadlineError', 'other'],
  ['MissingFromResponse', 'other'],
  ['UnknownError', 'other'],
  ['SyntaxError', 'other'],
  ['Error', 'other'],
  ['ECONNABORTED', 'other'],
  ['throttlingexception', 'other'],
  ['', 'other'],
];

const RETRYABLE: readonly AwsErrorClass[] = ['throttled', 'server', 'network', 'timeout'];

describe('AWS error classification (pure logic)', () => {
  it.each(TABLE)('%j is %s', (name, expected) => {
    expect(classifyAwsErrorName(name)).toBe(expected);
    // Retry, metrics and the store read the same class.
    const retryable = RETRYABLE.includes(expected);
    expect(isRetryableClass(expected)).toBe(retryable);
    expect(isRetryable(new SourceError(name, name, 400))).toBe(retryable);
    expect(isTransientAwsError({ name, $metadata: { httpStatusCode: 400 } })).toBe(retryable);
  });

  it('the table above is every name the classifier knows', () => {
    const known = Object.values(AWS_ERROR_NAMES).flat().sort();
    const tabled = TABLE.filter(([, c]) => c !== 'other')
      .map(([name]) => name)
      .sort();
    expect(tabled).toEqual(known);
    expect(new Set(known).size).toBe(known.length); // no name in two classes
  });

  it('falls back on the HTTP status for a name it does not know, as the SDK does', () => {
    expect(classifyAwsErrorName('Weird', 503)).toBe('server');
    expect(classifyAwsErrorName('Weird', 500)).toBe('server');
    expect(classifyAwsErrorName('Weird', 429)).toBe('throttled');
    expect(classifyAwsErrorName('Weird', 400)).toBe('other');
    expect(classifyAwsErrorName('Weird', 403)).toBe('other');
    expect(classifyAwsErrorName('Weird')).toBe('other');
    // The name wins: AWS answers throttling and denials with 400.
    expect(classifyAwsErrorName('ThrottlingException', 400)).toBe('throttled');
    expect(classifyAwsErrorName('AccessDeniedException', 503)).toBe('denied');
  });

  it('labels metrics by class, keeping the label values dashboards already match', () => {
    const labels = ['ThrottlingException', 'InternalFailure', 'ECONNRESET', 'TimeoutError'].map((name) =>
      apiCallOutcome(new SourceError(name, name)),
    );
    expect(labels).toEqual(['throttled', 'server_error', 'network_error', 'timeout']);
    expect(apiCallOutcome(new SourceError('AccessDeniedException', 'x', 400))).toBe('denied');
    expect(apiCallOutcome(new SourceError('ParameterNotFound', 'x', 400))).toBe('not_found');
    expect(apiCallOutcome(new SourceError('ValidationException', 'x', 400))).toBe('invalid');
    expect(apiCallOutcome(new SourceError('SyntaxError', 'x', 200))).toBe('error');
    expect(apiCallOutcome(new SourceError('Weird', 'x', 502))).toBe('server_error');
    expect(apiCallOutcome(undefined)).toBe('success');
  });

  describe('errors as the SDK throws them', () => {
    const metadata = { httpStatusCode: 400 };
    const message = 'm';

    it('names the service exceptions as the table does (their classes are spelt by the SDK)', () => {
      const thrown: Array<[Error, AwsErrorClass]> = [
        [new SecretsManager.ResourceNotFoundException({ message, $metadata: metadata }), 'not-found'],
        [new SecretsManager.DecryptionFailure({ message, $metadata: metadata }), 'denied'],
        [new SecretsManager.EncryptionFailure({ message, $metadata: metadata }), 'denied'],
        [new SecretsManager.InternalServiceError({ message, $metadata: { httpStatusCode: 500 } }), 'server'],
        [new SecretsManager.InvalidParameterException({ message, $metadata: metadata }), 'invalid'],
        [new SecretsManager.InvalidRequestException({ message, $metadata: metadata }), 'invalid'],
        [new SecretsManager.InvalidNextTokenException({ message, $metadata: metadata }), 'invalid'],
        [new SecretsManager.LimitExceededException({ message, $metadata: metadata }), 'invalid'],
        [new SecretsManager.MalformedPolicyDocumentException({ message, $metadata: metadata }), 'invalid'],
        [new SecretsManager.PreconditionNotMetException({ message, $metadata: metadata }), 'invalid'],
        [new SecretsManager.PublicPolicyException({ message, $metadata: metadata }), 'invalid'],
        [new SecretsManager.ResourceExistsException({ message, $metadata: metadata }), 'invalid'],
        [new SSM.ParameterNotFound({ message, $metadata: metadata }), 'not-found'],
        [new SSM.ParameterVersionNotFound({ message, $metadata: metadata }), 'not-found'],
        [new SSM.InternalServerError({ message, $metadata: { httpStatusCode: 500 } }), 'server'],
        [new SSM.TooManyUpdates({ message, $metadata: metadata }), 'throttled'],
        [new SSM.InvalidKeyId({ message, $metadata: metadata }), 'invalid'],
        [new SSM.InvalidNextToken({ message, $metadata: metadata }), 'invalid'],
        [new SSM.InvalidFilterKey({ message, $metadata: metadata }), 'invalid'],
        [new SSM.InvalidFilterOption({ message, $metadata: metadata }), 'invalid'],
        [new SSM.InvalidFilterValue({ message, $metadata: metadata }), 'invalid'],
        [new SSM.ParameterAlreadyExists({ message, $metadata: metadata }), 'invalid'],
        [new SSM.ParameterLimitExceeded({ message, $metadata: metadata }), 'invalid'],
        [new SSM.ParameterMaxVersionLimitExceeded({ message, $metadata: metadata }), 'invalid'],
        [new SSM.ParameterPatternMismatchException({ message, $metadata: metadata }), 'invalid'],
        [new SSM.HierarchyLevelLimitExceededException({ message, $metadata: metadata }), 'invalid'],
        [new SSM.HierarchyTypeMismatchException({ message, $metadata: metadata }), 'invalid'],
        [new SSM.IncompatiblePolicyException({ message, $metadata: metadata }), 'invalid'],
        [new SSM.InvalidAllowedPatternException({ message, $metadata: metadata }), 'invalid'],
        [new SSM.InvalidPolicyAttributeException({ message, $metadata: metadata }), 'invalid'],
        [new SSM.InvalidPolicyTypeException({ message, $metadata: metadata }), 'invalid'],
        [new SSM.PoliciesLimitExceededException({ message, $metadata: metadata }), 'invalid'],
        [new SSM.UnsupportedParameterType({ message, $metadata: metadata }), 'invalid'],
      ];
      for (const [error, expected] of thrown) {
        expect([error.name, classifyAwsError(error)]).toEqual([error.name, expected]);
      }
      // Every modelled Secrets Manager exception is in the table.
      const modelled = Object.entries(SecretsManager)
        .filter(
          ([key, value]) =>
            typeof value === 'function' &&
            value.prototype instanceof SecretsManager.SecretsManagerServiceException &&
            key !== 'SecretsManagerServiceException',
        )
        .map(([key]) => key);
      expect(modelled.length).toBeGreaterThan(10);
      for (const name of modelled) expect([name, classifyAwsErrorName(name)]).not.toEqual([name, 'other']);
    });

    it('takes the network code from the error or its cause', () => {
      const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      expect([awsErrorName(reset), classifyAwsError(reset)]).toEqual(['ECONNRESET', 'network']);
      const wrapped = Object.assign(new Error('fetch failed'), { cause: { code: 'ENOTFOUND' } });
      expect([awsErrorName(wrapped), classifyAwsError(wrapped)]).toEqual(['ENOTFOUND', 'network']);
      // A Node error code that is not a network failure does not replace the name.
      const typeError = Object.assign(new TypeError('bad'), { code: 'ERR_INVALID_ARG_TYPE' });
      expect([awsErrorName(typeError), classifyAwsError(typeError)]).toEqual(['TypeError', 'other']);
    });

    it('counts an SDK error without an HTTP answer as network, unless it is an abort', () => {
      const noAnswer = { $metadata: { attempts: 1, totalRetryDelay: 0 } };
      const unnamed = Object.assign(new Error('connect failed'), noAnswer);
      expect([awsErrorName(unnamed), classifyAwsError(unnamed)]).toEqual(['NetworkError', 'network']);
      const credentials = Object.assign(new Error('no IMDS'), { name: 'CredentialsProviderError' }, noAnswer);
      expect(classifyAwsError(credentials)).toBe('network');
      const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' }, noAnswer);
      expect(classifyAwsError(timeout)).toBe('timeout');
      const aborted = Object.assign(new Error('aborted'), { name: 'AbortError' }, noAnswer);
      expect(classifyAwsError(aborted)).toBe('other');
      // With an answer, an unknown name stays other (a deserialisation error, say).
      const garbled = Object.assign(new SyntaxError('Unexpected token'), {
        $metadata: { httpStatusCode: 200 },
      });
      expect(classifyAwsError(garbled)).toBe('other');
    });

    it('classifies anything that is not an error object as other', () => {
      for (const thrown of [undefined, null, 'ThrottlingException', 503, {}]) {
        expect(classifyAwsError(thrown)).toBe('other');
      }
    });

    it('sanitizes into names that classify the same way', () => {
      const cases: Array<[unknown, string, AwsErrorClass]> = [
        [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'ECONNRESET', 'network'],
        [Object.assign(new Error('socket hang up'), {}), 'socket hang up', 'network'],
        [Object.assign(new Error('x'), { name: 'AbortError' }), 'TimeoutError', 'timeout'],
        [
          Object.assign(new Error('Rate exceeded'), {
            name: 'Throttling',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          }),
          'Throttling',
          'throttled',
        ],
        [Object.assign(new Error('x'), { $metadata: { attempts: 1 } }), 'NetworkError', 'network'],
      ];
      for (const [error, name, expected] of cases) {
        const sanitized = sanitizeAwsError(error);
        expect([
          sanitized.errorName,
          classifyAwsErrorName(sanitized.errorName, sanitized.httpStatus),
        ]).toEqual([name, expected]);
      }
    });
  });

  /**
   * The SDK our clients use classifies for its own retries (@smithy/core `retry`); it exports the
   * predicates but not its lists, so each of our names is put to the predicates. Where we differ,
   * on purpose, the exception is named here.
   */
  describe('agrees with the SDK our clients use', () => {
    const sdkRequire = createRequire(realpathSync(require.resolve('@aws-sdk/client-secrets-manager')));
    const sdk = sdkRequire('@smithy/core/retry') as {
      isThrottlingError(error: object): boolean;
      isTransientError(error: object): boolean;
    };
    const asSdkError = (name: string) =>
      /^E[A-Z_]+$/.test(name)
        ? Object.assign(new Error(name), { code: name, $metadata: {} })
        : Object.assign(new Error(name), { name, $metadata: {} });
    /** Secrets Manager uses LimitExceededException for quotas; the SDK retries it as throttling. */
    const notThrottlingHere = new Set(['LimitExceededException']);
    /** Names the SDK does not know: SSM's TooManyUpdates, and our own names for network failures. */
    const unknownToTheSdk = new Set(['TooManyUpdates', 'socket hang up', 'NetworkError', 'NetworkingError']);

    it.each(TABLE.filter(([name]) => name !== ''))('%j (%s)', (name, ours) => {
      const error = asSdkError(name);
      if (unknownToTheSdk.has(name)) {
        expect(sdk.isThrottlingError(error) || sdk.isTransientError(error)).toBe(false);
        return;
      }
      expect(sdk.isThrottlingError(error)).toBe(ours === 'throttled' || notThrottlingHere.has(name));
      // Server errors are transient to the SDK by status only (5xx), which these names lack.
      expect(sdk.isTransientError(error)).toBe(ours === 'network' || ours === 'timeout');
    });
  });
});
