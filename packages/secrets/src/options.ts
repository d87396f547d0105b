import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Registry } from 'prom-client';
import { ConfigurationError } from './errors';
import { type Environment, parseEnvironment } from './manifest';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import type { AwsCredentials, SecretSource } from './sources';
import type { LoggerLike } from './types';

export interface LoadOptions {
  env: Environment;
  /** Default 'aws'. `production` always uses aws: 'env' there is a ConfigurationError. */
  source?: 'aws' | 'env' | SecretSource;
  aws?: {
    region?: string;
    /** Both services; without it the SDK honours AWS_ENDPOINT_URL(_SECRETS_MANAGER|_SSM). */
    endpoint?: string;
    credentials?: AwsCredentials;
    secretsManager?: SecretsManagerClient;
    ssm?: SSMClient;
  };
  /** For the env source; pass process.env from the app edge. Default: none. */
  variables?: Record<string, string | undefined>;
  /** For the env source: a .env file read with dotenv.parse; variables win over the file. */
  dotenvPath?: string;
  /** Default 300_000, ±10% jitter; 0 disables the background refresh. */
  refreshIntervalMs?: number;
  /** Default 10_000: the whole startup load, retries included. */
  startupDeadlineMs?: number;
  /** Default 30_000: one refresh round, retries included. */
  refreshDeadlineMs?: number;
  retry?: { baseDelayMs?: number; maxDelayMs?: number };
  /** pino-compatible; default silent. */
  logger?: LoggerLike;
  /** Metrics are registered here, and only when given. */
  registry?: Registry;
}

export interface ResolvedOptions {
  env: Environment;
  source: 'aws' | 'env' | SecretSource;
  refreshIntervalMs: number;
  startupDeadlineMs: number;
  refreshDeadlineMs: number;
  retry: RetryPolicy;
  logger: LoggerLike;
}

export const DEFAULTS = { refreshIntervalMs: 300_000, startupDeadlineMs: 10_000, refreshDeadlineMs: 30_000 };

const SILENT: LoggerLike = { info() {}, warn() {}, error() {} };

export function resolveOptions(options: LoadOptions): ResolvedOptions {
  if (!options || typeof options !== 'object')
    throw new ConfigurationError('loadSecrets needs options: { env, ... }');
  const env = parseEnvironment(options.env, 'options.env');
  const source = options.source ?? 'aws';
  if (source !== 'aws' && source !== 'env' && typeof source?.getSecrets !== 'function') {
    throw new ConfigurationError(
      `options.source must be aws, env or a SecretSource (got ${JSON.stringify(String(source))})`,
    );
  }
  if (env === 'production' && source !== 'aws') {
    throw new ConfigurationError('production always loads secrets from AWS: source must be aws');
  }
  if (source === 'env' && !options.variables && !options.dotenvPath) {
    throw new ConfigurationError(
      'the env source needs variables (pass process.env from the app edge) or dotenvPath',
    );
  }
  return {
    env,
    source,
    refreshIntervalMs: duration(
      options.refreshIntervalMs,
      DEFAULTS.refreshIntervalMs,
      'refreshIntervalMs',
      true,
    ),
    startupDeadlineMs: duration(options.startupDeadlineMs, DEFAULTS.startupDeadlineMs, 'startupDeadlineMs'),
    refreshDeadlineMs: duration(options.refreshDeadlineMs, DEFAULTS.refreshDeadlineMs, 'refreshDeadlineMs'),
    retry: {
      baseDelayMs: duration(options.retry?.baseDelayMs, DEFAULT_RETRY.baseDelayMs, 'retry.baseDelayMs'),
      maxDelayMs: duration(options.retry?.maxDelayMs, DEFAULT_RETRY.maxDelayMs, 'retry.maxDelayMs'),
    },
    logger: options.logger ?? SILENT,
  };
}

function duration(value: number | undefined, fallback: number, name: string, zeroAllowed = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed)) {
    throw new ConfigurationError(
      `options.${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number of milliseconds`,
    );
  }
  return value;
}

/**
 * The app edge: LoadOptions from the process environment.
 * - ESTATE_ENV (required, always): dev | staging | production. Not inferred from NODE_ENV, because
 *   staging runs with NODE_ENV=production too and must not read production's secrets.
 * - ESTATE_SECRETS_SOURCE: aws | env (default aws). NODE_ENV=production or ESTATE_ENV=production
 *   means aws; asking for env there is a ConfigurationError rather than a silent override.
 * - ESTATE_SECRETS_DOTENV: a .env file for the env source.
 * - ESTATE_SECRETS_REFRESH_SECONDS: the background refresh interval, a positive whole number of
 *   seconds; absent means the package default (300 s). Tests set it low to see a refresh fail.
 * - AWS_REGION (or AWS_DEFAULT_REGION). Endpoints are left to the SDK, which honours
 *   AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SECRETS_MANAGER and AWS_ENDPOINT_URL_SSM.
 */
export function optionsFromEnvironment(
  variables: Record<string, string | undefined>,
): Pick<LoadOptions, 'env' | 'source' | 'dotenvPath' | 'aws' | 'refreshIntervalMs'> {
  const env = parseEnvironment(variables.ESTATE_ENV, 'ESTATE_ENV');
  const requested = variables.ESTATE_SECRETS_SOURCE || undefined;
  if (requested !== undefined && requested !== 'aws' && requested !== 'env') {
    throw new ConfigurationError(
      `ESTATE_SECRETS_SOURCE must be aws or env (got ${JSON.stringify(requested)})`,
    );
  }
  const production = env === 'production' || variables.NODE_ENV === 'production';
  if (production && requested === 'env') {
    throw new ConfigurationError(
      'ESTATE_SECRETS_SOURCE=env is not allowed with NODE_ENV=production or ESTATE_ENV=production: secrets come from AWS',
    );
  }
  const region = variables.AWS_REGION || variables.AWS_DEFAULT_REGION || undefined;
  const dotenvPath = variables.ESTATE_SECRETS_DOTENV || undefined;
  const refreshSeconds = refreshSecondsFrom(variables.ESTATE_SECRETS_REFRESH_SECONDS);
  return {
    env,
    source: requested ?? 'aws',
    ...(dotenvPath ? { dotenvPath } : {}),
    ...(region ? { aws: { region } } : {}),
    ...(refreshSeconds === undefined ? {} : { refreshIntervalMs: refreshSeconds * 1000 }),
  };
}

/** Absent or empty: undefined, so resolveOptions applies the one default. */
function refreshSecondsFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ConfigurationError(
      `ESTATE_SECRETS_REFRESH_SECONDS must be a positive whole number of seconds (got ${JSON.stringify(value)})`,
    );
  }
  return Number(value);
}
