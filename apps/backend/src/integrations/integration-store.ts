import type { RuntimeSecretStore } from '@estate/secrets/store';

/** What the integration routes use of the runtime-managed secrets store (tests may pass a real one). */
export type IntegrationStore = Pick<
  RuntimeSecretStore,
  'orgIntegrationName' | 'orgIntegrationPrefix' | 'put' | 'list' | 'delete'
>;
