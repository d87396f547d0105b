import { join } from 'node:path';
import type { ServiceManifest } from '../../src/manifest';

/** The real service manifests: the policies are derived from exactly these. */
export function appManifest(service: 'backend' | 'ai-worker' | 'etl'): ServiceManifest {
  return require(join(__dirname, '../../../../apps', service, 'src/secrets.ts')).manifest as ServiceManifest;
}
