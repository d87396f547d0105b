import type { ServiceManifest } from '@estate/secrets';

const LOCALS = {
  secrets: { local: 'service_secrets', what: 'secret group' },
  parameters: { local: 'service_parameters', what: 'parameter' },
  runtime: { local: 'service_runtime_prefixes', what: 'runtime prefix' },
} as const;

/** What one side (a manifest, or Terraform's services.tf) says each service reads. */
export type AccessMap = Record<string, readonly string[]>;

/**
 * Differences between what the manifests declare and what Terraform grants, one sentence per
 * difference naming the service and the group (or parameter). Empty when they agree.
 */
export function accessDrift(
  manifests: readonly ServiceManifest[],
  terraform: { secrets: AccessMap; parameters: AccessMap; runtime?: AccessMap },
): string[] {
  const problems: string[] = [];
  const services = new Set(manifests.map((m) => m.service));
  for (const manifest of manifests) {
    const { service } = manifest;
    const declared = {
      secrets: Object.values(manifest.secrets).map((d) => d.group),
      parameters: Object.values(manifest.parameters).map((d) => d.name),
      runtime: Object.values(manifest.runtime ?? {}).map((d) => d.prefix),
    };
    for (const kind of ['secrets', 'parameters', 'runtime'] as const) {
      const local = LOCALS[kind].local;
      const what = LOCALS[kind].what;
      const granted = terraform[kind]?.[service];
      if (!granted) {
        problems.push(
          `${service}: has a manifest but infrastructure/terraform/services.tf local.${local} has no "${service}" entry`,
        );
        continue;
      }
      for (const item of declared[kind]) {
        if (!granted.includes(item)) {
          problems.push(
            `${service}: manifest declares ${what} "${item}" but Terraform does not grant it (add it to local.${local}["${service}"] in infrastructure/terraform/services.tf)`,
          );
        }
      }
      for (const item of granted) {
        if (!declared[kind].includes(item)) {
          problems.push(
            `${service}: Terraform grants ${what} "${item}" that its manifest does not declare (remove it from local.${local}["${service}"])`,
          );
        }
      }
    }
  }
  const granting = [terraform.secrets, terraform.parameters, terraform.runtime ?? {}].flatMap(Object.keys);
  for (const service of new Set(granting)) {
    if (!services.has(service))
      problems.push(`${service}: Terraform grants access to a service with no manifest`);
  }
  return problems;
}
