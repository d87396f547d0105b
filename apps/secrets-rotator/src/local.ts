import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { rotate } from './rotate';
import type { RotateDeps, RotationEvent } from './types';

export interface LocalRotationOptions extends Omit<RotateDeps, 'client'> {
  /** The local endpoint's URL (known once it listens). */
  endpoint: string;
  region?: string;
  /** Default 'local-admin': the rotation function writes versions and moves labels. */
  accessKeyId?: string;
}

/**
 * A `rotationHandler` for @estate/secrets-local: the rotator in process, calling back into the
 * endpoint over HTTP as the Lambda would. The endpoint does not depend on this package; it is
 * injected: `start({ rotationHandler: createRotationHandler(...) })` or `estate-secrets-local --rotator`.
 */
export function createRotationHandler(options: LocalRotationOptions): LocalRotationHandler {
  const { endpoint, region, accessKeyId, ...deps } = options;
  let client: SecretsManagerClient | undefined;
  const handler = (event: RotationEvent) => {
    client ??= new SecretsManagerClient({
      endpoint,
      region: region ?? 'ap-northeast-2',
      credentials: { accessKeyId: accessKeyId ?? 'local-admin', secretAccessKey: 'local' },
    });
    return rotate(event, { ...deps, client });
  };
  return Object.assign(handler, {
    close: () => {
      client?.destroy();
      client = undefined;
    },
  });
}

export interface LocalRotationHandler {
  (event: RotationEvent): Promise<void>;
  /** Destroys the SDK client (its sockets); a later call makes a new one. */
  close(): void;
}
