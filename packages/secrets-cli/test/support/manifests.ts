import { join } from 'node:path';
import type { ServiceManifest } from '@estate/secrets';
import { WORKSPACE } from './run-cli';

/** The real service manifests, which the CLI finds by --service. */
export function appManifest(service: 'backend' | 'ai-worker' | 'etl'): ServiceManifest {
  return require(join(WORKSPACE, 'apps', service, 'src/secrets.ts')).manifest as ServiceManifest;
}
