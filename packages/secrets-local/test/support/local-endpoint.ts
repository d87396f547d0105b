import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { type LocalEndpoint, type StartOptions, start } from '../../src';

export const REGION = 'ap-northeast-2';
export const ADMIN = 'local-admin';

export function startLocal(options: StartOptions = {}): Promise<LocalEndpoint> {
  return start({ port: 0, quiet: true, ...options });
}

interface ClientOptions {
  accessKeyId?: string;
  maxAttempts?: number;
}

function clientConfig(endpoint: LocalEndpoint, options: ClientOptions) {
  return {
    endpoint: endpoint.url,
    region: REGION,
    credentials: { accessKeyId: options.accessKeyId ?? ADMIN, secretAccessKey: 'local' },
    maxAttempts: options.maxAttempts ?? 3,
  };
}

export const secretsClient = (endpoint: LocalEndpoint, options: ClientOptions = {}) =>
  new SecretsManagerClient(clientConfig(endpoint, options));

export const ssmClient = (endpoint: LocalEndpoint, options: ClientOptions = {}) =>
  new SSMClient(clientConfig(endpoint, options));

/** A random value: tests never commit secret-looking literals. */
export const randomValue = (bytes = 16) => randomBytes(bytes).toString('hex');

/** A unique secret or parameter name segment. */
export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'secrets-local-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A raw JSON 1.1 call, for requests the SDK would never send. */
export async function rawCall(
  endpoint: LocalEndpoint,
  target: string | undefined,
  body: string,
  accessKeyId = ADMIN,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${REGION}/secretsmanager/aws4_request, SignedHeaders=host, Signature=0`,
  };
  if (target !== undefined) headers['x-amz-target'] = target;
  const response = await fetch(endpoint.url, { method: 'POST', headers, body });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
