import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { LocalEndpoint } from '../../src';
import { ADMIN, REGION, randomValue, startLocal } from '../support/local-endpoint';

describe('the SDK finds the endpoint through AWS_ENDPOINT_URL_SECRETS_MANAGER', () => {
  let endpoint: LocalEndpoint;
  const saved = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;

  beforeAll(async () => {
    endpoint = await startLocal();
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = endpoint.url;
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = saved;
    await endpoint.stop();
  });

  it('works with a client constructed without an endpoint', async () => {
    const client = new SecretsManagerClient({
      region: REGION,
      credentials: { accessKeyId: ADMIN, secretAccessKey: 'local' },
    });
    const value = randomValue();
    await client.send(new CreateSecretCommand({ Name: 'estate/dev/segment', SecretString: value }));
    expect(
      (await client.send(new GetSecretValueCommand({ SecretId: 'estate/dev/segment' }))).SecretString,
    ).toBe(value);
    client.destroy();
    expect(endpoint.stats().calls).toEqual({ CreateSecret: 1, GetSecretValue: 1 });
  });
});
