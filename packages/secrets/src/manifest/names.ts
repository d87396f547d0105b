import { z } from 'zod';
import { ConfigurationError } from '../errors';
import type { ServiceManifest } from './manifest';

export const Environment = z.enum(['dev', 'staging', 'production']);
export type Environment = z.infer<typeof Environment>;

/** Validates an environment name coming from configuration (flag, variable) and says what is allowed. */
export function parseEnvironment(value: unknown, where = 'environment'): Environment {
  const parsed = Environment.safeParse(value);
  if (!parsed.success) {
    throw new ConfigurationError(
      `${where} must be one of ${Environment.options.join(', ')} (got ${value === undefined ? 'nothing' : JSON.stringify(String(value))})`,
    );
  }
  return parsed.data;
}

/** `estate/{env}/{group}`: the catalog's naming rule for Secrets Manager. */
export function secretName(env: Environment, group: string): string {
  return `estate/${env}/${group}`;
}

/** `estate/{env}/{prefix}/`: every runtime-managed secret of that prefix starts with this. */
export function runtimePrefixName(env: Environment, prefix: string): string {
  return `estate/${env}/${prefix}/`;
}

/** `/estate/{env}/{path}`: the naming rule for SSM parameters. */
export function parameterName(env: Environment, path: string): string {
  return `/estate/${env}/${path}`;
}

export interface ResolvedSecret {
  key: string;
  group: string;
  name: string;
  optional: boolean;
  keepPrevious: boolean;
}

export interface ResolvedRuntimePrefix {
  key: string;
  prefix: string;
  /** `estate/{env}/{prefix}/`, with the trailing slash. */
  name: string;
}

export interface ResolvedParameter {
  key: string;
  path: string;
  name: string;
}

/** Every name (and runtime prefix) a service uses in one environment: the input of the IAM policy, the access policy and `check`. */
export function resolveNames(
  manifest: ServiceManifest,
  env: Environment,
): { secrets: ResolvedSecret[]; parameters: ResolvedParameter[]; runtime: ResolvedRuntimePrefix[] } {
  return {
    secrets: Object.entries(manifest.secrets).map(([key, d]) => ({
      key,
      group: d.group,
      name: secretName(env, d.group),
      optional: d.optional,
      keepPrevious: d.keepPrevious,
    })),
    parameters: Object.entries(manifest.parameters).map(([key, d]) => ({
      key,
      path: d.name,
      name: parameterName(env, d.name),
    })),
    runtime: Object.entries(manifest.runtime ?? {}).map(([key, d]) => ({
      key,
      prefix: d.prefix,
      name: runtimePrefixName(env, d.prefix),
    })),
  };
}
