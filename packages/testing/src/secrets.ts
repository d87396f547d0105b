import { type LocalEndpoint, type StartOptions, start } from '@estate/secrets-local';

export interface SecretsEndpointTarget {
  endpoint: LocalEndpoint;
  /** AWS SDK v3 client settings for one access key id of the endpoint's policy. */
  clientConfig(accessKeyId?: string): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  cleanup(): Promise<void>;
}

export const TEST_REGION = 'ap-northeast-2';
export const ADMIN_ACCESS_KEY_ID = 'local-admin';

/** An in-process @estate/secrets-local on an ephemeral port, in memory unless given a data file. */
export async function useSecretsEndpoint(options: StartOptions = {}): Promise<SecretsEndpointTarget> {
  const endpoint = await start({ port: 0, quiet: true, ...options });
  return {
    endpoint,
    clientConfig: (accessKeyId = ADMIN_ACCESS_KEY_ID) => ({
      endpoint: endpoint.url,
      region: TEST_REGION,
      // The local endpoint identifies callers by access key id and does not check signatures.
      credentials: { accessKeyId, secretAccessKey: 'local' },
    }),
    cleanup: () => endpoint.stop(),
  };
}
