import {
  BatchGetSecretValueCommand,
  type BatchGetSecretValueCommandOutput,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { classifyAwsErrorName } from '../../aws/classify-error';
import { type RetryPolicy, withRetry } from '../../retry';
import { arnIn, sanitizeAwsError } from '../aws-errors';
import type { ApiCallObserver } from '../observer';
import { chunk, type FetchContext, type ItemFailure, type SecretRequest, type SecretResult } from '../source';

/** BatchGetSecretValue takes at most 20 ids per call (API reference, SecretIdList). */
export const BATCH_LIMIT = 20;

/**
 * Secrets Manager reads: AWSCURRENT of every secret through BatchGetSecretValue in chunks of 20
 * (chunks in parallel); AWSPREVIOUS through GetSecretValue with VersionStage, because
 * BatchGetSecretValue answers AWSCURRENT only. Both run at once.
 */
export class SecretsManagerReader {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly retry: RetryPolicy,
    private readonly observe: ApiCallObserver,
  ) {}

  async getSecrets(requests: readonly SecretRequest[], context: FetchContext): Promise<SecretResult[]> {
    const current = requests.filter((r) => r.stage === 'AWSCURRENT').map((r) => r.name);
    const previous = requests.filter((r) => r.stage === 'AWSPREVIOUS').map((r) => r.name);
    const [batches, previousResults] = await Promise.all([
      Promise.all(chunk(current, BATCH_LIMIT).map((names) => this.batch(names, context))),
      Promise.all(previous.map((name) => this.previous(name, context))),
    ]);
    return [...batches.flat(), ...previousResults];
  }

  private async batch(names: string[], context: FetchContext): Promise<SecretResult[]> {
    const results = new Map<string, SecretResult>();
    try {
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        const output: BatchGetSecretValueCommandOutput = await this.call(
          'BatchGetSecretValue',
          (signal) =>
            this.client.send(new BatchGetSecretValueCommand({ SecretIdList: names, NextToken: token }), {
              abortSignal: signal,
            }),
          context,
        );
        for (const entry of output.SecretValues ?? []) {
          const name = names.find((n) => n === entry.Name || n === entry.ARN) ?? entry.Name ?? '';
          results.set(name, {
            ok: true,
            name,
            stage: 'AWSCURRENT',
            versionId: entry.VersionId ?? '',
            arn: entry.ARN,
            secretString: entry.SecretString,
            secretBinary: entry.SecretBinary,
          });
        }
        for (const entry of output.Errors ?? []) {
          const name = entry.SecretId ?? '';
          const errorName = entry.ErrorCode ?? 'UnknownError';
          const message = (entry.Message ?? errorName).slice(0, 500);
          results.set(name, {
            ok: false,
            name,
            stage: 'AWSCURRENT',
            failure: failure(errorName, message),
          });
        }
        nextToken = output.NextToken;
      } while (nextToken && results.size < names.length);
    } catch (error) {
      const e = sanitizeAwsError(error);
      return names.map((name) => ({
        ok: false,
        name,
        stage: 'AWSCURRENT',
        failure: failure(e.errorName, e.message),
      }));
    }
    return names.map(
      (name) =>
        results.get(name) ?? {
          ok: false,
          name,
          stage: 'AWSCURRENT',
          failure: failure(
            'MissingFromResponse',
            'BatchGetSecretValue answered neither a value nor an error',
          ),
        },
    );
  }

  private async previous(name: string, context: FetchContext): Promise<SecretResult> {
    try {
      const output = await this.call(
        'GetSecretValue',
        (signal) =>
          this.client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }), {
            abortSignal: signal,
          }),
        context,
      );
      return {
        ok: true,
        name,
        stage: 'AWSPREVIOUS',
        versionId: output.VersionId ?? '',
        arn: output.ARN,
        secretString: output.SecretString,
        secretBinary: output.SecretBinary,
      };
    } catch (error) {
      const e = sanitizeAwsError(error);
      return { ok: false, name, stage: 'AWSPREVIOUS', failure: failure(e.errorName, e.message) };
    }
  }

  private call<T>(operation: string, attempt: (signal: AbortSignal) => Promise<T>, context: FetchContext) {
    return withRetry(operation, attempt, {
      deadlineAt: context.deadlineAt,
      signal: context.signal,
      policy: this.retry,
      classify: sanitizeAwsError,
      onAttempt: (error) => this.observe(operation, error),
    });
  }
}

function failure(errorName: string, message: string): ItemFailure {
  return {
    errorName,
    message,
    notFound: classifyAwsErrorName(errorName) === 'not-found',
    arn: arnIn(message),
  };
}
