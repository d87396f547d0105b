import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { type RetryPolicy, withRetry } from '../../retry';
import { arnIn, sanitizeAwsError } from '../aws-errors';
import type { ApiCallObserver } from '../observer';
import { chunk, type FetchContext, type ParameterResult } from '../source';

/** GetParameters takes at most 10 names per call (API reference, Names). */
export const PARAMETERS_LIMIT = 10;

/** SSM reads: GetParameters in chunks of 10, WithDecryption, chunks in parallel. */
export class ParameterReader {
  constructor(
    private readonly client: SSMClient,
    private readonly retry: RetryPolicy,
    private readonly observe: ApiCallObserver,
  ) {}

  async getParameters(names: readonly string[], context: FetchContext): Promise<ParameterResult[]> {
    const chunks = await Promise.all(chunk(names, PARAMETERS_LIMIT).map((part) => this.read(part, context)));
    return chunks.flat();
  }

  private async read(names: string[], context: FetchContext): Promise<ParameterResult[]> {
    try {
      const output = await withRetry(
        'GetParameters',
        (signal) =>
          this.client.send(new GetParametersCommand({ Names: names, WithDecryption: true }), {
            abortSignal: signal,
          }),
        {
          deadlineAt: context.deadlineAt,
          signal: context.signal,
          policy: this.retry,
          classify: sanitizeAwsError,
          onAttempt: (error) => this.observe('GetParameters', error),
        },
      );
      const found = new Map((output.Parameters ?? []).map((p) => [p.Name, p]));
      const invalid = new Set(output.InvalidParameters ?? []);
      return names.map((name): ParameterResult => {
        const parameter = found.get(name);
        if (parameter && typeof parameter.Value === 'string') {
          return { ok: true, name, value: parameter.Value, version: String(parameter.Version ?? '') };
        }
        const message = invalid.has(name)
          ? 'no parameter with this name (InvalidParameters)'
          : 'missing from the answer';
        return { ok: false, name, failure: { errorName: 'ParameterNotFound', message, notFound: true } };
      });
    } catch (error) {
      const e = sanitizeAwsError(error);
      return names.map((name) => ({
        ok: false,
        name,
        failure: { errorName: e.errorName, message: e.message, notFound: false, arn: arnIn(e.message) },
      }));
    }
  }
}
