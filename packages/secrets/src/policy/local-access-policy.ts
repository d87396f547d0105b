import type { ServiceManifest } from '../manifest';
import { type Environment, resolveNames } from '../manifest';

/** The access key id with full access on the local endpoint (seeding, tests). */
export const LOCAL_ADMIN_ACCESS_KEY_ID = 'local-admin';

/** The same shape as @estate/secrets-local's AccessPolicy (its `--policy` file). */
export interface LocalAccessPolicy {
  admins: string[];
  principals: Record<
    string,
    {
      service: string;
      secrets: string[];
      parameters: string[];
      /** Runtime prefixes (`estate/dev/orgs/*`): names under them may be created, written, read, tagged, deleted. */
      manage?: string[];
    }
  >;
}

/** The access key id a service uses against the local endpoint. */
export function localAccessKeyId(service: string): string {
  return `local-${service}`;
}

/**
 * What each service may do on the local endpoint: read exactly the names of its manifest, and
 * manage names under its runtime prefixes, so a service that steps outside its manifest fails in
 * development the way it would with IAM (`iamPolicyFor`).
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
      // Only when declared, so the policy of a read-only service is what it always was.
      ...(names.runtime.length > 0 ? { manage: names.runtime.map((r) => `${r.name}*`) } : {}),
    };
  }
  return { admins: [LOCAL_ADMIN_ACCESS_KEY_ID], principals };
}
