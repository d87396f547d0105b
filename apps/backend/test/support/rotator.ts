import { resolve } from 'node:path';
import { RotateSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RotationEvent, RotationHandler } from '@estate/secrets-local';

type RotationHandlerFactory = (options: { endpoint: string }) => RotationHandler & { close(): void };

/**
 * The rotator (apps/secrets-rotator) in process, loaded by path as `estate-secrets-local --rotator`
 * does: the backend does not depend on the rotator package, only its tests run it.
 */
export function rotatorFor(endpointUrl: () => string): RotationHandler & { close(): void } {
  const modulePath = resolve(__dirname, '../../../secrets-rotator/src/local.ts');
  const { createRotationHandler } = require(modulePath) as { createRotationHandler: RotationHandlerFactory };
  let handler: ReturnType<RotationHandlerFactory> | undefined;
  const rotate = (event: RotationEvent) => {
    handler ??= createRotationHandler({ endpoint: endpointUrl() });
    return handler(event);
  };
  return Object.assign(rotate, { close: () => handler?.close() });
}

const LAMBDA_ARN = 'arn:aws:lambda:ap-northeast-2:000000000000:function:estate-dev-secrets-rotator';

/** RotateSecret with RotateImmediately: the four steps run before it answers. Returns the new version id. */
export async function rotateNow(client: SecretsManagerClient, secretId: string): Promise<string> {
  const rotated = await client.send(
    new RotateSecretCommand({
      SecretId: secretId,
      RotationLambdaARN: LAMBDA_ARN,
      RotationRules: { AutomaticallyAfterDays: 30 },
      RotateImmediately: true,
    }),
  );
  return rotated.VersionId!;
}
