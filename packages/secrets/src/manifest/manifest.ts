import type { z } from 'zod';
import { ManifestError } from '../errors';

/** How a secret's payload is stored: a JSON object in SecretString (the catalog's rule) or raw bytes. */
export type SecretFormat = 'json' | 'binary';

export interface SecretOptions<Optional extends boolean = boolean> {
  /** A missing optional group is not a startup error; `get()` returns undefined for it. */
  optional?: Optional;
  /** Also load the AWSPREVIOUS version, for verifying what was signed before a rotation. */
  keepPrevious?: boolean;
  /** 'json' (default) parses SecretString as JSON; 'binary' hands the schema a Buffer. */
  format?: SecretFormat;
}

export interface SecretDeclaration<S extends z.ZodType = z.ZodType, Optional extends boolean = boolean> {
  readonly kind: 'secret';
  /** Catalog group: the last segment of `estate/{env}/{group}`. */
  readonly group: string;
  readonly schema: S;
  readonly optional: Optional;
  readonly keepPrevious: boolean;
  readonly format: SecretFormat;
}

export interface ParameterOptions<S extends z.ZodType> {
  /** Used when the parameter does not exist; it is validated by the schema like a fetched value. */
  default?: z.input<S>;
  /** A missing optional parameter without default reads as undefined. */
  optional?: boolean;
}

export interface ParameterDeclaration<S extends z.ZodType = z.ZodType, Maybe extends boolean = boolean> {
  readonly kind: 'parameter';
  /** Path below `/estate/{env}/`, e.g. `config/log_level`. */
  readonly name: string;
  readonly schema: S;
  readonly hasDefault: boolean;
  readonly default: z.input<S> | undefined;
  readonly optional: Maybe;
}

/**
 * A prefix under which the service creates, writes, reads and deletes secrets whose names are
 * built at runtime (RuntimeSecretStore), e.g. `orgs` for `estate/{env}/orgs/{orgId}/{tool}`.
 */
export interface RuntimeSecretsDeclaration {
  readonly kind: 'runtime';
  /** Path below `estate/{env}/`, without slashes at either end: `orgs`, `orgs/integrations`. */
  readonly prefix: string;
}

export type SecretDeclarations = Record<string, SecretDeclaration>;
export type ParameterDeclarations = Record<string, ParameterDeclaration>;
export type RuntimeSecretsDeclarations = Record<string, RuntimeSecretsDeclaration>;

export interface ServiceManifest<
  Secrets extends SecretDeclarations = SecretDeclarations,
  Parameters extends ParameterDeclarations = ParameterDeclarations,
> {
  readonly service: string;
  readonly secrets: Secrets;
  readonly parameters: Parameters;
  /** Runtime-managed prefixes; absent (or empty) when the service only reads declared secrets. */
  readonly runtime?: RuntimeSecretsDeclarations;
}

/** The typed value `get(key)` returns for a declaration: undefined is possible only for optional groups. */
export type SecretValueOf<D> =
  D extends SecretDeclaration<infer S, infer Optional>
    ? Optional extends true
      ? z.output<S> | undefined
      : z.output<S>
    : never;

export type ParameterValueOf<D> =
  D extends ParameterDeclaration<infer S, infer Maybe>
    ? Maybe extends true
      ? z.output<S> | undefined
      : z.output<S>
    : never;

const GROUP = /^[a-z][a-z0-9-]*$/;
const PARAMETER = /^[a-z][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)+$/;
const SERVICE = /^[a-z][a-z0-9-]*$/;
const RUNTIME_PREFIX = /^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)*$/;

export function secret<S extends z.ZodType>(
  group: string,
  schema: S,
  options: SecretOptions<true> & { optional: true },
): SecretDeclaration<S, true>;
export function secret<S extends z.ZodType>(
  group: string,
  schema: S,
  options?: SecretOptions<false>,
): SecretDeclaration<S, false>;
export function secret<S extends z.ZodType>(
  group: string,
  schema: S,
  options: SecretOptions = {},
): SecretDeclaration<S> {
  if (!GROUP.test(group)) {
    throw new ManifestError(`secret group "${group}" must match ${GROUP} (it becomes estate/{env}/${group})`);
  }
  return Object.freeze({
    kind: 'secret',
    group,
    schema,
    optional: options.optional ?? false,
    keepPrevious: options.keepPrevious ?? false,
    format: options.format ?? 'json',
  });
}

export function parameter<S extends z.ZodType>(
  name: string,
  schema: S,
  options: { default: z.input<S> },
): ParameterDeclaration<S, false>;
export function parameter<S extends z.ZodType>(
  name: string,
  schema: S,
  options: { optional: true },
): ParameterDeclaration<S, true>;
export function parameter<S extends z.ZodType>(name: string, schema: S): ParameterDeclaration<S, false>;
export function parameter<S extends z.ZodType>(
  name: string,
  schema: S,
  options: ParameterOptions<S> = {},
): ParameterDeclaration<S> {
  if (!PARAMETER.test(name)) {
    throw new ManifestError(
      `parameter "${name}" must be a path below /estate/{env}/ such as "config/log_level" (no leading slash)`,
    );
  }
  const hasDefault = Object.hasOwn(options, 'default');
  if (hasDefault) {
    const checked = schema.safeParse(options.default);
    if (!checked.success) {
      throw new ManifestError(`parameter "${name}": its default does not satisfy its own schema`);
    }
  }
  return Object.freeze({
    kind: 'parameter',
    name,
    schema,
    hasDefault,
    default: options.default,
    optional: options.optional ?? false,
  });
}

/**
 * Declares a runtime-managed prefix: the service may create, write, read, tag and delete any
 * secret under `estate/{env}/{prefix}/`, and nothing else beyond its declared secrets.
 */
export function runtimeSecrets(prefix: string): RuntimeSecretsDeclaration {
  if (!RUNTIME_PREFIX.test(prefix)) {
    throw new ManifestError(
      `runtime prefix "${prefix}" must be path segments matching ${GROUP} joined by "/" (it becomes estate/{env}/${prefix}/)`,
    );
  }
  return Object.freeze({ kind: 'runtime', prefix });
}

/**
 * Declares the secrets and parameters one service reads. Everything else (IAM policy, local access
 * policy, preflight check, dev seed) is derived from what is declared here.
 */
export function defineSecrets<
  S extends SecretDeclarations,
  P extends ParameterDeclarations = Record<never, never>,
>(manifest: {
  service: string;
  secrets: S;
  parameters?: P;
  runtime?: RuntimeSecretsDeclarations;
}): ServiceManifest<S, P> {
  if (!SERVICE.test(manifest.service)) {
    throw new ManifestError(`service "${manifest.service}" must match ${SERVICE}`);
  }
  const groups = new Map<string, string>();
  for (const [key, declaration] of Object.entries(manifest.secrets)) {
    if (declaration?.kind !== 'secret') {
      throw new ManifestError(`${manifest.service}: secrets.${key} is not a secret(...) declaration`);
    }
    const other = groups.get(declaration.group);
    if (other) {
      throw new ManifestError(
        `${manifest.service}: secrets.${key} and secrets.${other} both declare group "${declaration.group}"`,
      );
    }
    groups.set(declaration.group, key);
  }
  const parameters = (manifest.parameters ?? {}) as P;
  const names = new Map<string, string>();
  for (const [key, declaration] of Object.entries(parameters)) {
    if (declaration?.kind !== 'parameter') {
      throw new ManifestError(`${manifest.service}: parameters.${key} is not a parameter(...) declaration`);
    }
    const other = names.get(declaration.name);
    if (other) {
      throw new ManifestError(
        `${manifest.service}: parameters.${key} and parameters.${other} both declare "${declaration.name}"`,
      );
    }
    names.set(declaration.name, key);
  }
  const runtime = checkRuntime(manifest.service, manifest.runtime ?? {}, groups);
  if (Object.keys(runtime).length === 0) {
    return Object.freeze({ service: manifest.service, secrets: manifest.secrets, parameters });
  }
  return Object.freeze({ service: manifest.service, secrets: manifest.secrets, parameters, runtime });
}

/**
 * Runtime prefixes may not repeat, nest in one another (the wider one would already grant the
 * narrower), or start with a declared group (its names would read as that group's).
 */
function checkRuntime(
  service: string,
  runtime: RuntimeSecretsDeclarations,
  groups: ReadonlyMap<string, string>,
): RuntimeSecretsDeclarations {
  const seen: { key: string; prefix: string }[] = [];
  for (const [key, declaration] of Object.entries(runtime)) {
    if (declaration?.kind !== 'runtime') {
      throw new ManifestError(`${service}: runtime.${key} is not a runtimeSecrets(...) declaration`);
    }
    const group = groups.get(declaration.prefix.split('/')[0]!);
    if (group) {
      throw new ManifestError(
        `${service}: runtime.${key} ("${declaration.prefix}") starts with group "${declaration.prefix.split('/')[0]}" of secrets.${group}`,
      );
    }
    const within = (a: string, b: string) => a === b || a.startsWith(`${b}/`);
    const other = seen.find(
      (s) => within(declaration.prefix, s.prefix) || within(s.prefix, declaration.prefix),
    );
    if (other) {
      throw new ManifestError(
        `${service}: runtime.${key} ("${declaration.prefix}") and runtime.${other.key} ("${other.prefix}") overlap`,
      );
    }
    seen.push({ key, prefix: declaration.prefix });
  }
  return runtime;
}
