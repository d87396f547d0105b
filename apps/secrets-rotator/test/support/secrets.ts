import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { StartOptions } from '@estate/secrets-local';
import { type SecretsEndpointTarget, useSecretsEndpoint } from '@estate/testing';
import { createRotationHandler, type LocalRotationHandler, type LocalRotationOptions } from '../../src/local';
import type { RotationEvent } from '../../src/types';

export const LAMBDA_ARN = 'arn:aws:lambda:ap-northeast-2:000000000000:function:estate-dev-secrets-rotator';

export interface RotatorEndpoint {
  target: SecretsEndpointTarget;
  /** Admin client (no SDK retries, so an injected fault is seen once). */
  client: SecretsManagerClient;
  /** What RotateSecret runs: the rotator in process, configurable per test. */
  handlerOptions: Omit<LocalRotationOptions, 'endpoint'>;
  /** Steps RotateSecret invoked, in order. */
  events: RotationEvent[];
  /** Runs before each step RotateSecret invokes (to inject a fault at a step). */
  beforeStep?: (event: RotationEvent) => void;
  cleanup(): Promise<void>;
}

/** The local endpoint over HTTP with the rotator as its rotation function (as in `estate-secrets-local --rotator`). */
export async function useRotatorEndpoint(options: StartOptions = {}): Promise<RotatorEndpoint> {
  let handler: LocalRotationHandler | undefined;
  const events: RotationEvent[] = [];
  const handlerOptions: Omit<LocalRotationOptions, 'endpoint'> = {};
  const local: RotatorEndpoint = {} as RotatorEndpoint;
  const target = await useSecretsEndpoint({
    ...options,
    rotationHandler: async (event) => {
      events.push(event as RotationEvent);
      local.beforeStep?.(event as RotationEvent);
      handler ??= createRotationHandler({ ...handlerOptions, endpoint: target.endpoint.url });
      await handler(event as RotationEvent);
    },
  });
  const client = new SecretsManagerClient({ ...target.clientConfig(), maxAttempts: 1 });
  return Object.assign(local, {
    target,
    client,
    handlerOptions,
    events,
    cleanup: async () => {
      handler?.close();
      client.destroy();
      await target.cleanup();
    },
  });
}

export async function createSecret(
  client: SecretsManagerClient,
  name: string,
  value?: object,
): Promise<string> {
  const created = await client.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: value === undefined ? undefined : JSON.stringify(value),
    }),
  );
  return created.VersionId ?? '';
}

/** Turns rotation on without rotating (as Terraform's aws_secretsmanager_secret_rotation records it). */
export async function enableRotation(client: SecretsManagerClient, name: string): Promise<void> {
  await client.send(
    new RotateSecretCommand({
      SecretId: name,
      RotationLambdaARN: LAMBDA_ARN,
      RotationRules: { AutomaticallyAfterDays: 30 },
      RotateImmediately: false,
    }),
  );
}

export async function stagesOf(
  client: SecretsManagerClient,
  name: string,
): Promise<Record<string, string[]>> {
  const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
  return described.VersionIdsToStages ?? {};
}

export async function versionCount(client: SecretsManagerClient, name: string): Promise<number> {
  const listed = await client.send(
    new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
  );
  return listed.Versions?.length ?? 0;
}

export async function valueAt(
  client: SecretsManagerClient,
  name: string,
  stage: string,
  versionId?: string,
): Promise<Record<string, unknown>> {
  const answer = await client.send(
    new GetSecretValueCommand({ SecretId: name, VersionStage: stage, VersionId: versionId }),
  );
  return JSON.parse(answer.SecretString ?? 'null') as Record<string, unknown>;
}

export function holderOf(stages: Record<string, string[]>, stage: string): string | undefined {
  return Object.entries(stages).find(([, labels]) => labels.includes(stage))?.[0];
}
