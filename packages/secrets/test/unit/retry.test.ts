import { RetryDeadlineError, SourceError } from '../../src/errors';
import { backoffDelay, isRetryable, withRetry } from '../../src/retry';
import { sanitizeAwsError } from '../../src/sources/aws-errors';

describe('retry policy (pure logic)', () => {
  it('full jitter: random(0, min(cap, base * 2^attempt))', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999_999 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, policy))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(5, { ...policy, random: () => 0 })).toBe(0);
  });

  it('retries throttling, 5xx and network errors only', () => {
    const retryable = [
      'ThrottlingException',
      'TooManyRequestsException',
      'RequestLimitExceeded',
      'InternalServiceError',
      'ECONNRESET',
      'socket hang up',
      'TimeoutError',
    ];
    const final = [
      'AccessDeniedException',
      'ResourceNotFoundException',
      'DecryptionFailure',
      'InvalidRequestException',
      'ValidationException',
    ];
    for (const name of retryable) expect(isRetryable(new SourceError(name, name))).toBe(true);
    for (const name of final) expect(isRetryable(new SourceError(name, name, 400))).toBe(false);
    expect(isRetryable(new SourceError('Weird', 'weird', 503))).toBe(true);
  });

  it('keeps AWS messages of service errors, and only names of anything else', () => {
    const service = Object.assign(new Error('User: x is not authorized'), {
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(sanitizeAwsError(service)).toMatchObject({
      errorName: 'AccessDeniedException',
      message: 'User: x is not authorized',
    });
    const body = Object.assign(new SyntaxError('Unexpected token in {"SecretString":"hunter2hunter2"}'), {
      $response: { body: 'hunter2hunter2' },
    });
    const sanitized = sanitizeAwsError(body);
    expect(
      JSON.stringify({ ...sanitized, message: sanitized.message, cause: sanitized.cause }),
    ).not.toContain('hunter2');
    expect(
      sanitizeAwsError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })).errorName,
    ).toBe('ECONNRESET');
  });

  it('stops at the first non-retryable error', async () => {
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      throw new SourceError('AccessDeniedException', 'denied', 400);
    };
    const context = {
      deadlineAt: Date.now() + 1_000,
      policy: { baseDelayMs: 1, maxDelayMs: 1 },
      classify: sanitizeAwsError,
    };
    await expect(withRetry('Op', attempt, context)).rejects.toMatchObject({
      errorName: 'AccessDeniedException',
    });
    expect(calls).toBe(1);
  });

  it('retries until success within the deadline, counting every attempt', async () => {
    let calls = 0;
    const seen: Array<string | undefined> = [];
    const result = await withRetry(
      'Op',
      async () => {
        calls += 1;
        if (calls < 4) throw new SourceError('ThrottlingException', 'Rate exceeded', 400);
        return 'done';
      },
      {
        deadlineAt: Date.now() + 1_000,
        policy: { baseDelayMs: 1, maxDelayMs: 2 },
        classify: sanitizeAwsError,
        onAttempt: (e) => seen.push(e?.errorName),
      },
    );
    expect(result).toBe('done');
    expect(seen).toEqual(['ThrottlingException', 'ThrottlingException', 'ThrottlingException', undefined]);
  });

  it('gives up at the deadline naming the attempts and the error', async () => {
    const error = await withRetry(
      'BatchGetSecretValue',
      async () => {
        throw new SourceError('ThrottlingException', 'Rate exceeded', 400);
      },
      {
        deadlineAt: Date.now() + 100,
        policy: { baseDelayMs: 5, maxDelayMs: 10 },
        classify: sanitizeAwsError,
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryDeadlineError);
    expect((error as Error).message).toMatch(
      /^BatchGetSecretValue: gave up after \d+ attempts in \d+ ms: ThrottlingException$/,
    );
  });
});
