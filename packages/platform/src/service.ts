import {
  createSecretsLogger,
  loadSecrets,
  optionsFromEnvironment,
  type Secrets,
  SecretsError,
  type ServiceManifest,
} from '@estate/secrets';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DeferredLogger } from './deferred-logger';

export interface ServiceStart<M extends ServiceManifest> {
  secrets: Secrets<M>;
  logger: Logger;
  registry: Registry;
}

/**
 * The first lines of every service's main: a metrics registry, its secrets loaded from the
 * manifest with options from the environment, and the leak-guard logger. When a secret cannot be
 * loaded it prints the report (one line per problem, never a value) and exits 1, before anything
 * listens. Only main.ts calls this: it is the process edge.
 */
export async function startService<M extends ServiceManifest>(
  manifest: M,
  environment: NodeJS.ProcessEnv,
  logLevel: (secrets: Secrets<M>) => string,
): Promise<ServiceStart<M>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // The container logs refresh failures and rejected versions for as long as it runs: without a
  // logger of its own it would be silent, so it writes through the leak-guard logger made below.
  const containerLogger = new DeferredLogger();
  let secrets: Secrets<M>;
  try {
    secrets = await loadSecrets(manifest, {
      ...optionsFromEnvironment(environment),
      variables: environment,
      registry,
      logger: containerLogger,
    });
  } catch (error) {
    if (error instanceof SecretsError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createSecretsLogger(secrets, {
    level: logLevel(secrets),
    base: { service: manifest.service },
  });
  containerLogger.attach(logger);
  logger.info({ env: secrets.env, source: secrets.source }, 'secrets loaded');
  return { secrets, logger, registry };
}
