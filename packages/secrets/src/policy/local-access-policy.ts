import type { ServiceManifest } from '../manifest';
import { type Environment, resolveNames } from '../manifest';

/** The access key id with full access on the local endpoint (seeding, tests). */
export const LOCAL_ADMIN_ACCESS_KEY_ID = 'local-admin';

/** The same shape as @estate/secrets-local's AccessPolicy (its `--policy` file). */
export interface LocalAccessPolicy {
  admins: string[];
  principals: Record<string, { service: string; secrets: string[]; parameters: string[] }>;
}

/** The access key id a service uses against the local endpoint. */
export function localAccessKeyId(service: string): string {
  return `local-${service}`;
}

/**
 * What each service may read on the local endpoint: exactly the names of its manifest, so a
 * service that reads outside its manifest fails in development the way it would with IAM.
 */
export function localAccessPolicy(
  manifests: readonly ServiceManifest[],
  env: Environment,
): LocalAccessPolicy {
  const principals: LocalAccessPolicy['principals'] = {};
  for (const manifest of [...manifests].sort((a, b) => a.service.localeCompare(b.service))) {
    const names = resolveNames(manifest, env);
    principals[localAccessKeyId(manifest.service)] = {
      service: manifest.service,
      secrets: names.secrets.map((s) => s.name),
      parameters: names.parameters.map((p) => p.name),
    };
  }
  return { admins: [LOCAL_ADMIN_ACCESS_KEY_ID], principals };
}
