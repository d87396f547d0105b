import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROCESS_REGISTRY_VARIABLE } from '../../src/stack/process-registry';

/** Every process a test launches is recorded here, so the teardown can prove none outlived the run. */
export default function globalSetup(): void {
  process.env[PROCESS_REGISTRY_VARIABLE] = mkdtempSync(join(tmpdir(), 'estate-e2e-processes-'));
}
