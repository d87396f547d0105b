import { randomBytes } from 'node:crypto';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { type SecretsEndpointTarget, useSecretsEndpoint } from '@estate/testing';
import { endpointSecretValues, findLeaks } from './support/leak-scan';

// The scanner the reliability suite ends each file with (issue 9 case 4): it must find what it is
// there to find, or its zero is worth nothing.

const key = () => randomBytes(18).toString('base64url');

let target: SecretsEndpointTarget;
let client: SecretsManagerClient;

beforeAll(async () => {
  target = await useSecretsEndpoint();
  client = new SecretsManagerClient(target.clientConfig());
});

afterAll(async () => {
  client?.destroy();
  await target?.cleanup();
});

test('every version of every secret, secret fields only, runtime secrets whole, URL passwords alone', async () => {
  const [first, second, third] = [key(), key(), key()];
  const jwt = 'estate/dev/jwt';
  await client.send(new CreateSecretCommand({ Name: jwt, SecretString: JSON.stringify({ secret: first }) }));
  await client.send(
    new PutSecretValueCommand({ SecretId: jwt, SecretString: JSON.stringify({ secret: second }) }),
  );
  // A third version: the first is no longer AWSCURRENT or AWSPREVIOUS, and is still scanned.
  await client.send(
    new PutSecretValueCommand({ SecretId: jwt, SecretString: JSON.stringify({ secret: third }) }),
  );
  const password = key();
  await client.send(
    new CreateSecretCommand({
      Name: 'estate/dev/database',
      SecretString: JSON.stringify({
        host: 'db.internal',
        port: 5432,
        dbname: 'estate',
        username: 'estate_app',
        password,
      }),
    }),
  );
  const rabbitmqPassword = key();
  await client.send(
    new CreateSecretCommand({
      Name: 'estate/dev/rabbitmq',
      SecretString: JSON.stringify({ url: `amqp://estate:${rabbitmqPassword}@mq.internal:5672/estate` }),
    }),
  );
  const orgToken = key();
  await client.send(
    new CreateSecretCommand({
      Name: 'estate/dev/orgs/org-1/crm',
      SecretString: JSON.stringify({ clientId: 'estate-crm', clientSecret: orgToken }),
    }),
  );

  const values = await endpointSecretValues(client);
  const found = values.map(({ value }) => value);
  for (const value of [first, second, third, password, rabbitmqPassword, orgToken])
    expect(found).toContain(value);
  // Marked notSecret in the catalog: a leak scan that looked for them would hit every log line.
  for (const value of ['db.internal', 'estate_app']) expect(found).not.toContain(value);
  expect(values.find(({ value }) => value === first)?.label).toMatch(
    /^estate\/dev\/jwt@[0-9a-f-]{8}\.secret$/,
  );

  const line = (text: string) => JSON.stringify({ level: 30, msg: text });
  expect(findLeaks(values, [line('started'), line('listening on 3000')])).toEqual([]);
  const leaks = findLeaks(values, [
    line('started'),
    line(`connecting with ${password}`),
    `{"body":"${JSON.stringify(orgToken).slice(1, -1)}"}`,
  ]);
  expect(leaks).toHaveLength(2);
  expect(leaks[0]).toMatch(/^estate\/dev\/database@.+\.password in text 1, after ".*connecting with "$/);
  expect(leaks[1]).toMatch(/^estate\/dev\/orgs\/org-1\/crm@.+\.clientSecret in text 2/);
  // The report names where, never the value.
  for (const leak of leaks) for (const value of found) expect(leak).not.toContain(value);
});
