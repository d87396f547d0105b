import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import type { LocalEndpoint } from '../../src';
import { rawCall, rejectionOf, secretsClient, startLocal } from '../support/local-endpoint';

let endpoint: LocalEndpoint;

beforeAll(async () => {
  endpoint = await startLocal();
});

afterAll(() => endpoint.stop());

async function stillServes() {
  const health = await rawCall(endpoint, 'secretsmanager.ListSecrets', '{}');
  expect(health.status).toBe(200);
}

describe('bad requests answer AWS errors and the server keeps serving', () => {
  it('malformed JSON -> SerializationException', async () => {
    const result = await rawCall(endpoint, 'secretsmanager.GetSecretValue', '{"SecretId": ');
    expect(result.status).toBe(400);
    expect(result.json.__type).toBe('SerializationException');
    expect(result.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(result.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    await stillServes();
  });

  it('a wrong JSON type -> SerializationException', async () => {
    const result = await rawCall(endpoint, 'secretsmanager.GetSecretValue', '{"SecretId": 42}');
    expect(result.json.__type).toBe('SerializationException');
    await stillServes();
  });

  it('unknown operation or missing X-Amz-Target -> UnknownOperationException', async () => {
    for (const target of ['secretsmanager.StealEverything', 'Nonsense.GetSecretValue', undefined]) {
      const result = await rawCall(endpoint, target, '{}');
      expect(result.status).toBe(400);
      expect(result.json.__type).toBe('UnknownOperationException');
    }
    await stillServes();
  });

  it('missing SecretId -> ValidationException naming the field', async () => {
    const client = secretsClient(endpoint);
    const error = await rejectionOf(client.send(new GetSecretValueCommand({} as never)));
    client.destroy();
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    );
    await stillServes();
  });

  it('a value over 65,536 bytes -> ValidationException that does not echo the value', async () => {
    const client = secretsClient(endpoint);
    await client.send(new CreateSecretCommand({ Name: 'estate/test/big' }));
    const error = await rejectionOf(
      client.send(
        new PutSecretValueCommand({ SecretId: 'estate/test/big', SecretString: 'x'.repeat(65_537) }),
      ),
    );
    client.destroy();
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536",
    );
    await stillServes();
  });

  it('SSM errors carry a lowercase message field', async () => {
    const result = await rawCall(endpoint, 'AmazonSSM.GetParameter', '{"Name": "/estate/none"}');
    expect(result.json).toEqual({
      __type: 'ParameterNotFound',
      message: 'Parameter /estate/none not found.',
    });
  });
});
