import type { ServiceManifest } from '@estate/secrets';
import { accessTable as derivedTable } from '@estate/secrets/policy';

/** The README's "which role may read which secret" table: what `estate-secrets policy --all --env {env}` prints. */
export function accessTable(manifests: readonly ServiceManifest[]): string {
  return derivedTable(manifests, 'production');
}
