import type { FetchContext, ParameterResult, SecretRequest, SecretResult, SecretSource } from '../sources';
import type { RoundResults } from './apply-round';
import type { Declared } from './state';

/**
 * One round trip's worth of reads: AWSCURRENT of every group, AWSPREVIOUS of keepPrevious groups
 * and every parameter, all at once. A source that throws (a custom one) fails each item instead.
 */
export async function fetchRound(
  source: SecretSource,
  declared: Declared,
  context: FetchContext,
): Promise<RoundResults> {
  const requests: SecretRequest[] = declared.secrets.flatMap(({ name, declaration }) => [
    { name, stage: 'AWSCURRENT' as const },
    ...(declaration.keepPrevious ? [{ name, stage: 'AWSPREVIOUS' as const }] : []),
  ]);
  const names = declared.parameters.map((p) => p.name);
  const [secrets, parameters] = await Promise.all([
    requests.length > 0
      ? source.getSecrets(requests, context).catch((error) => requests.map((r) => failedSecret(r, error)))
      : ([] as SecretResult[]),
    names.length > 0
      ? source.getParameters(names, context).catch((error) => names.map((n) => failedParameter(n, error)))
      : ([] as ParameterResult[]),
  ]);
  return { secrets, parameters };
}

function errorNameOf(error: unknown): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : 'Error';
}

function failedSecret(request: SecretRequest, error: unknown): SecretResult {
  const errorName = errorNameOf(error);
  return {
    ok: false,
    ...request,
    failure: { errorName, message: `the source failed: ${errorName}`, notFound: false },
  };
}

function failedParameter(name: string, error: unknown): ParameterResult {
  const errorName = errorNameOf(error);
  return {
    ok: false,
    name,
    failure: { errorName, message: `the source failed: ${errorName}`, notFound: false },
  };
}
