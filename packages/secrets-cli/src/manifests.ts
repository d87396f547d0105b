import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ServiceManifest } from '@estate/secrets';
import { UsageError } from './context';

/** The nearest directory at or above `from` holding pnpm-workspace.yaml. */
export function findWorkspaceRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** apps/<service>/src/secrets.ts, else the built apps/<service>/dist/secrets.js. */
function manifestFileOf(root: string, service: string): string | undefined {
  for (const candidate of [
    join(root, 'apps', service, 'src', 'secrets.ts'),
    join(root, 'apps', service, 'dist', 'secrets.js'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Services with a manifest under apps/, sorted. */
export function listServices(root: string): string[] {
  const apps = join(root, 'apps');
  if (!existsSync(apps)) return [];
  return readdirSync(apps, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && manifestFileOf(root, entry.name) !== undefined)
    .map((entry) => entry.name)
    .sort();
}

/**
 * Loads a module that may be TypeScript. Run from source (`node --import tsx`), tsx already
 * handles .ts; run from dist (the bin), tsx's CommonJS hook is registered here first. Either way
 * one module graph is used, so the manifest shares @estate/secrets and zod with the CLI.
 */
function requireModule(file: string): unknown {
  // biome-ignore lint/suspicious/noExplicitAny: require.extensions is untyped legacy API
  if (file.endsWith('.ts') && !(require.extensions as any)['.ts']) {
    const { register } = require('tsx/cjs/api') as typeof import('tsx/cjs/api');
    register();
  }
  return require(file);
}

function asManifest(file: string, loaded: unknown): ServiceManifest {
  const manifest = (loaded as { manifest?: unknown } | undefined)?.manifest as ServiceManifest | undefined;
  if (!manifest || typeof manifest.service !== 'string' || typeof manifest.secrets !== 'object') {
    throw new UsageError(`${file} has no named export "manifest" made with defineSecrets(...)`);
  }
  return manifest;
}

export interface ManifestSource {
  service?: string;
  /** A manifest file; overrides discovery (for images without the workspace). */
  manifest?: string;
}

export function loadManifest(cwd: string, source: ManifestSource, command: string): ServiceManifest {
  if (source.manifest) {
    const file = resolve(cwd, source.manifest);
    if (!existsSync(file)) throw new UsageError(`${command}: --manifest ${source.manifest}: no such file`);
    const manifest = asManifest(file, requireModule(file));
    if (source.service && source.service !== manifest.service) {
      throw new UsageError(
        `${command}: --manifest declares service "${manifest.service}", not "${source.service}"`,
      );
    }
    return manifest;
  }
  if (!source.service) throw new UsageError(`${command}: --service (or --manifest) is required`);
  const root = findWorkspaceRoot(cwd);
  if (!root) {
    throw new UsageError(
      `${command}: no pnpm-workspace.yaml above ${cwd}; pass --manifest <file> outside the workspace`,
    );
  }
  const file = manifestFileOf(root, source.service);
  if (!file) {
    const known = listServices(root);
    throw new UsageError(
      `${command}: --service ${source.service}: no apps/${source.service}/src/secrets.ts; services: ${known.join(', ') || 'none found'}`,
    );
  }
  return asManifest(file, requireModule(file));
}

/** Every service manifest under apps/ of the workspace. */
export function loadAllManifests(cwd: string, command: string): ServiceManifest[] {
  const root = findWorkspaceRoot(cwd);
  if (!root) throw new UsageError(`${command}: no pnpm-workspace.yaml above ${cwd}`);
  return listServices(root).map((service) => loadManifest(cwd, { service }, command));
}
