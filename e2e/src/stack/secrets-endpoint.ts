import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { type LocalEndpoint, start } from '@estate/secrets-local';
import { createRotationHandler, type LocalRotationHandler } from '@estate/secrets-rotator/local';
import { exitOf, spawnFromSource } from './node-process';
import type { OutputSink } from './output';

export const REGION = 'ap-northeast-2';
export const ADMIN_ACCESS_KEY_ID = 'local-admin';

/** AWS SDK settings, as environment variables, for one access key id of the endpoint's policy. */
export function awsEnvironment(endpointUrl: string, accessKeyId: string): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'local',
  };
}

/** `estate-secrets <args>` as a child (asynchronously: the endpoint it talks to may live in this process). */
export async function estateSecrets(
  root: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  output: OutputSink,
): Promise<void> {
  const child = spawnFromSource({
    root,
    service: 'secrets',
    entry: 'packages/secrets-cli/src/main.ts',
    args,
    env: { ...process.env, ...env },
    output,
  });
  const code = await exitOf(child);
  if (code !== 0) throw new Error(`estate-secrets ${args[0]} failed (exit ${code}); see its output above`);
}

export interface SecretsEndpoint {
  endpoint: LocalEndpoint;
  url: string;
  stop(): Promise<void>;
}

/**
 * @estate/secrets-local with the access policy derived from the manifests and the rotator in
 * process (so `estate-secrets rotate jwt --env dev` works against it), seeded with the catalog's
 * dev secrets (generated at first run, kept afterwards when `dataFile` persists them).
 */
export async function startSecretsEndpoint(options: {
  root: string;
  port: number;
  policyFile: string;
  dataFile?: string;
  output: OutputSink;
}): Promise<SecretsEndpoint> {
  const { root, output } = options;
  await estateSecrets(root, ['access-policy', '--env', 'dev', '--out', options.policyFile], {}, output);
  // The endpoint's URL is known once it listens; the rotator calls back into it over HTTP.
  let rotator: LocalRotationHandler | undefined;
  const endpoint = await start({
    port: options.port,
    policy: options.policyFile,
    quiet: true,
    ...(options.dataFile ? { dataFile: options.dataFile } : {}),
    rotationHandler: (event) => rotator!(event),
  });
  rotator = createRotationHandler({ endpoint: endpoint.url, region: REGION });
  const stop = async () => {
    rotator?.close();
    await endpoint.stop();
  };
  try {
    await estateSecrets(
      root,
      ['seed', '--env', 'dev'],
      awsEnvironment(endpoint.url, ADMIN_ACCESS_KEY_ID),
      output,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, url: endpoint.url, stop };
}

/** An admin client of the endpoint (seeding overrides, reading the database settings). */
export function adminClient(endpointUrl: string): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: endpointUrl,
    region: REGION,
    credentials: { accessKeyId: ADMIN_ACCESS_KEY_ID, secretAccessKey: 'local' },
  });
}

export async function readSecret<T>(
  client: SecretsManagerClient,
  name: string,
  stage: 'AWSCURRENT' | 'AWSPREVIOUS' = 'AWSCURRENT',
): Promise<T> {
  const got = await client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: stage }));
  return JSON.parse(got.SecretString ?? '{}') as T;
}

/**
 * Sets some fields of a secret, keeping the others; writes a new version only when one changes,
 * so a restarted dev stack whose secrets already point where it runs changes nothing.
 */
export async function setSecretFields(
  client: SecretsManagerClient,
  name: string,
  fields: Record<string, unknown>,
): Promise<boolean> {
  const current = await readSecret<Record<string, unknown>>(client, name);
  const changed = Object.entries(fields).some(
    ([key, value]) => JSON.stringify(current[key]) !== JSON.stringify(value),
  );
  if (!changed) return false;
  await client.send(
    new PutSecretValueCommand({ SecretId: name, SecretString: JSON.stringify({ ...current, ...fields }) }),
  );
  return true;
}
