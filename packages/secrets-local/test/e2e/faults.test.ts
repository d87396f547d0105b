import {
  CreateSecretCommand,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { LocalEndpoint } from '../../src';
import {
  randomValue,
  rejectionOf,
  secretsClient,
  ssmClient,
  startLocal,
  uniqueName,
} from '../support/local-endpoint';

let endpoint: LocalEndpoint;
let client: SecretsManagerClient;
let name: string;

beforeAll(async () => {
  endpoint = await startLocal();
  client = secretsClient(endpoint, { maxAttempts: 1 });
  name = uniqueName('estate/test/faults');
  await client.send(new CreateSecretCommand({ Name: name, SecretString: randomValue() }));
});

afterEach(() => endpoint.clearFaults());

afterAll(async () => {
  client.destroy();
  await endpoint.stop();
});

const read = () => client.send(new GetSecretValueCommand({ SecretId: name }));

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${endpoint.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('fault kinds', () => {
  it('throttle answers ThrottlingException (400)', async () => {
    endpoint.addFault({ kind: 'throttle', operation: 'GetSecretValue' });
    const error = await rejectionOf(read());
    expect(error.name).toBe('ThrottlingException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
  });

  it('error500 answers InternalServiceError (500), and InternalServerError for SSM', async () => {
    endpoint.addFault({ kind: 'error500' });
    const error = await rejectionOf(read());
    expect(error.name).toBe('InternalServiceError');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(500);

    const ssm = ssmClient(endpoint, { maxAttempts: 1 });
    const ssmError = await rejectionOf(ssm.send(new GetParameterCommand({ Name: '/estate/x' })));
    ssm.destroy();
    expect(ssmError.name).toBe('InternalServerError');
  });

  it('latency delays the answer by at least latencyMs', async () => {
    endpoint.addFault({ kind: 'latency', latencyMs: 150 });
    const started = performance.now();
    await read();
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('latency combines with a failure', async () => {
    endpoint.setFaults([
      { kind: 'latency', latencyMs: 100 },
      { kind: 'throttle', count: 1 },
    ]);
    const started = performance.now();
    const error = await rejectionOf(read());
    expect(error.name).toBe('ThrottlingException');
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('drop destroys the connection: the SDK sees a network error', async () => {
    endpoint.addFault({ kind: 'drop', operation: 'GetSecretValue', count: 1 });
    const error = await rejectionOf(read());
    expect((error.$metadata as { httpStatusCode?: number }).httpStatusCode).toBeUndefined();
    expect(`${error.code} ${error.message}`).toMatch(/ECONNRESET|socket hang up|EPIPE/);
    await expect(read()).resolves.toBeDefined();
  });
});

describe('rule scope', () => {
  it('count expires the rule after N matching requests', async () => {
    endpoint.addFault({ kind: 'throttle', operation: 'GetSecretValue', count: 2 });
    await expect(read()).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(read()).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(read()).resolves.toBeDefined();
  });

  it('operation limits a rule to that operation', async () => {
    endpoint.addFault({ kind: 'throttle', operation: 'PutParameter' });
    await expect(read()).resolves.toBeDefined();
  });

  it('probability 0 never fires, probability 1 always fires', async () => {
    endpoint.setFaults([{ kind: 'throttle', probability: 0 }]);
    for (let index = 0; index < 5; index += 1) await read();
    endpoint.setFaults([{ kind: 'throttle', probability: 1 }]);
    for (let index = 0; index < 3; index += 1)
      await expect(read()).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('probability 0.5 fires on some of many requests', async () => {
    endpoint.setFaults([{ kind: 'throttle', probability: 0.5 }]);
    let failed = 0;
    for (let index = 0; index < 60; index += 1) {
      try {
        await read();
      } catch {
        failed += 1;
      }
    }
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(60);
  });

  it('the SDK retries through a throttle with its default attempts', async () => {
    const retrying = secretsClient(endpoint, { maxAttempts: 3 });
    endpoint.addFault({ kind: 'throttle', count: 1 });
    const got = await retrying.send(new GetSecretValueCommand({ SecretId: name }));
    expect(got.$metadata.attempts).toBe(2);
    retrying.destroy();
  });
});

describe('control API', () => {
  it('POST appends, GET lists, PUT replaces, DELETE clears', async () => {
    expect(
      (await control('POST', '/__faults', { kind: 'throttle', operation: 'GetSecretValue' })).status,
    ).toBe(200);
    await control('POST', '/__faults', [{ kind: 'latency', latencyMs: 5 }]);
    expect(((await control('GET', '/__faults')).json.faults as unknown[]).length).toBe(2);
    await expect(read()).rejects.toMatchObject({ name: 'ThrottlingException' });

    await control('PUT', '/__faults', [{ kind: 'error500', count: 1 }]);
    expect((await control('GET', '/__faults')).json.faults).toEqual([{ kind: 'error500', count: 1 }]);

    await control('DELETE', '/__faults');
    expect((await control('GET', '/__faults')).json.faults).toEqual([]);
    await expect(read()).resolves.toBeDefined();
  });

  it('refuses a malformed rule with 400 and keeps the existing rules', async () => {
    const bad = await control('POST', '/__faults', { kind: 'explode' });
    expect(bad.status).toBe(400);
    expect(String(bad.json.error)).toContain('kind');
    const noLatency = await control('POST', '/__control/faults', { kind: 'latency' });
    expect(noLatency.status).toBe(400);
  });

  it('control calls are neither counted nor faulted, and /__health answers', async () => {
    endpoint.setFaults([{ kind: 'drop' }]);
    expect((await control('GET', '/__health')).json).toEqual({ status: 'ok' });
    endpoint.clearFaults();
    await control('DELETE', '/__stats');
    await control('GET', '/__faults');
    expect((await control('GET', '/__stats')).json.total).toBe(0);
  });
});

describe('stats', () => {
  it('counts calls per operation and per access key', async () => {
    endpoint.resetStats();
    const other = secretsClient(endpoint, { accessKeyId: 'local-backend' });
    const ssm = ssmClient(endpoint);
    await read();
    await read();
    await other.send(new GetSecretValueCommand({ SecretId: name }));
    await ssm.send(new PutParameterCommand({ Name: `/${uniqueName('estate')}`, Value: '1', Type: 'String' }));
    other.destroy();
    ssm.destroy();

    expect(endpoint.stats()).toEqual({
      calls: { GetSecretValue: 3, PutParameter: 1 },
      byAccessKey: {
        'local-admin': { GetSecretValue: 2, PutParameter: 1 },
        'local-backend': { GetSecretValue: 1 },
      },
      total: 4,
    });
    expect((await control('GET', '/__stats')).json).toEqual(endpoint.stats());
  });
});
