import { manifest as aiWorker } from '@estate/ai-worker/secrets';
import { manifest as backend } from '@estate/backend/secrets';
import { manifest as etl } from '@estate/etl/secrets';
import type { ServiceManifest } from '@estate/secrets';

/** Every service manifest: the single source the Terraform, kustomize and compose checks compare against. */
export const manifests: readonly ServiceManifest[] = [backend, aiWorker, etl];
