import type { FetchContext, ParameterResult, SecretRequest, SecretResult, SecretSource } from '../sources';
import type { RoundResults } from './apply-round';
import type { Declared, Snapshot } from './state';

/**
 * One round trip's worth of reads: AWSCURRENT of every group and every parameter, all at once.
 * AWSPREVIOUS of keepPrevious groups comes with them at startup; on a refresh (`before` given) it
 * is read only for a group whose AWSCURRENT moved, since both stages move together (PutSecretValue,
 * rotation's finishSecret). That keeps a steady-state refresh at one call per 20 groups.
 * A source that throws (a custom one) fails each item instead.
 */
export async function fetchRound(
  source: SecretSource,
  declared: Declared,
  context: FetchContext,
  before?: Snapshot,
): Promise<RoundResults> {
  const requests: SecretRequest[] = declared.secrets.flatMap(({ name, declaration }) => [
    { name, stage: 'AWSCURRENT' as const },
    ...(declaration.keepPrevious && !before ? [{ name, stage: 'AWSPREVIOUS' as const }] : []),
  ]);
  const names = declared.parameters.map((p) => p.name);
  const [secrets, parameters] = await Promise.all([
    readSecrets(source, requests, context),
    names.length > 0
      ? source.getParameters(names, context).catch((error) => names.map((n) => failedParameter(n, error)))
      : ([] as ParameterResult[]),
  ]);
  if (!before) return { secrets, parameters };

  const moved: SecretRequest[] = declared.secrets
    .filter(({ key, name, declaration }) => {
      if (!declaration.keepPrevious) return false;
      const current = secrets.find((r) => r.name === name && r.stage === 'AWSCURRENT');
      return current?.ok === true && current.versionId !== before.groups.get(key)?.current?.versionId;
    })
    .map(({ name }) => ({ name, stage: 'AWSPREVIOUS' as const }));
  return { secrets: [...secrets, ...(await readSecrets(source, moved, context))], parameters };
}

function readSecrets(
  source: SecretSource,
  requests: SecretRequest[],
  context: FetchContext,
): Promise<readonly SecretResult[]> {
  if (requests.length === 0) return Promise.resolve([]);
  return source.getSecrets(requests, context).catch((error) => requests.map((r) => failedSecret(r, error)));
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
