import { SecretsContainer } from './container';
import type { Declared } from './container/state';
import { parameterName, type ServiceManifest, secretName } from './manifest';
import { apiCallOutcome, createMetrics, type SecretsMetrics } from './metrics';
import { type LoadOptions, type ResolvedOptions, resolveOptions } from './options';
import { AwsSource, EnvSource, type SecretSource } from './sources';
import type { Secrets } from './types';

/**
 * Loads every secret and parameter the manifest declares, validated, before the service starts;
 * throws one SecretsLoadError listing every problem. Then keeps them fresh in the background.
 */
export async function loadSecrets<M extends ServiceManifest>(
  manifest: M,
  options: LoadOptions,
): Promise<Secrets<M>> {
  const resolved = resolveOptions(options);
  const metrics = createMetrics(options.registry);
  const source = createSource(options, resolved, metrics);
  const declared = declare(manifest, resolved.env);
  resolved.logger.info(
    { service: manifest.service, env: resolved.env, source: source.kind },
    `secrets source: ${source.describe()}`,
  );
  const container = new SecretsContainer(manifest, { declared, source, options: resolved, metrics });
  try {
    await container.start();
  } catch (error) {
    container.close();
    throw error;
  }
  return container as Secrets<M>;
}

function createSource(
  options: LoadOptions,
  resolved: ResolvedOptions,
  metrics: SecretsMetrics,
): SecretSource {
  if (typeof resolved.source === 'object') return resolved.source;
  if (resolved.source === 'env') {
    return new EnvSource({ variables: options.variables ?? {}, dotenvPath: options.dotenvPath });
  }
  return new AwsSource({
    ...options.aws,
    requestTimeoutMs: Math.max(resolved.startupDeadlineMs, resolved.refreshDeadlineMs),
    retry: resolved.retry,
    onApiCall: (operation, error) => metrics.apiCall(operation, apiCallOutcome(error)),
  });
}

function declare(manifest: ServiceManifest, env: ResolvedOptions['env']): Declared {
  return {
    secrets: Object.entries(manifest.secrets).map(([key, declaration]) => ({
      key,
      name: secretName(env, declaration.group),
      declaration,
    })),
    parameters: Object.entries(manifest.parameters).map(([key, declaration]) => ({
      key,
      name: parameterName(env, declaration.name),
      declaration,
    })),
  };
}
