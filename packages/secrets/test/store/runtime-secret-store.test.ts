import { randomUUID } from 'node:crypto';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { LocalEndpoint } from '@estate/secrets-local';
import { z } from 'zod';
import { SecretsError } from '../../src/errors';
import {
  RuntimeSecretConflictError,
  RuntimeSecretError,
  RuntimeSecretNameError,
  RuntimeSecretNotFoundError,
  RuntimeSecretStore,
  RuntimeSecretValidationError,
} from '../../src/store';
import { clientFor, startEndpoint, uniqueOrg } from './helpers';

const ApiKey = z.object({ apiKey: z.string().min(8), workspace: z.string() });

describe('RuntimeSecretStore against @estate/secrets-local', () => {
  let endpoint: LocalEndpoint;
  let client: SecretsManagerClient;
  let clock: number;
  let warnings: { details: Record<string, unknown>; message: string }[];
  let store: RuntimeSecretStore;

  beforeAll(async () => {
    endpoint = await startEndpoint();
    client = clientFor(endpoint);
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.stop();
  });
  beforeEach(() => {
    clock = Date.parse('2030-01-01T00:00:00Z');
    warnings = [];
    endpoint.clearFaults();
    store = new RuntimeSecretStore({
      env: 'dev',
      client,
      ttlMs: 60_000,
      now: () => clock,
      logger: { warn: (details, message) => warnings.push({ details, message }) },
    });
  });

  it('builds org integration names and rejects segments that could escape them, naming the field', () => {
    expect(store.orgIntegrationName('acme_1', 'slack')).toBe('estate/dev/orgs/acme_1/slack');
    expect(() => store.orgIntegrationName('../prod', 'slack')).toThrow(RuntimeSecretNameError);
    expect(() => store.orgIntegrationName('../prod', 'slack')).toThrow(/orgId/);
    expect(() => store.orgIntegrationName('acme', 'a/b')).toThrow(/tool/);
    expect(() => store.orgIntegrationName('acme', 'x'.repeat(65))).toThrow(/tool/);
    expect(() => store.orgIntegrationName('', 'slack')).toThrow(/orgId/);
  });

  it('creates, reads, updates, describes, lists and deletes', async () => {
    const org = uniqueOrg();
    const name = store.orgIntegrationName(org, 'notion');
    const created = await store.put(
      name,
      { apiKey: 'key-one-123', workspace: 'w1' },
      { description: 'Notion for org', tags: { expires: '2031-01-01T00:00:00.000Z', tool: 'notion' } },
    );
    expect(created.arn).toMatch(/:secret:estate\/dev\/orgs\/.+\/notion-[A-Za-z0-9]{6}$/);
    expect(await store.get(name, ApiKey)).toEqual({ apiKey: 'key-one-123', workspace: 'w1' });

    const updated = await store.put(name, { apiKey: 'key-two-456', workspace: 'w1' });
    expect(updated.versionId).not.toBe(created.versionId);
    expect(updated.arn).toBe(created.arn);
    expect(await store.get(name, ApiKey)).toEqual({ apiKey: 'key-two-456', workspace: 'w1' });
    expect(await store.get(name, undefined, { versionStage: 'AWSPREVIOUS' })).toEqual({
      apiKey: 'key-one-123',
      workspace: 'w1',
    });

    const metadata = await store.describe(name);
    expect(metadata).toMatchObject({
      name,
      arn: created.arn,
      description: 'Notion for org',
      tags: { expires: '2031-01-01T00:00:00.000Z', tool: 'notion' },
      deletedDate: undefined,
    });
    expect(metadata.expiresAt?.toISOString()).toBe('2031-01-01T00:00:00.000Z');
    expect(metadata.createdDate).toBeInstanceOf(Date);
    expect(JSON.stringify(metadata)).not.toContain('key-');

    await store.put(store.orgIntegrationName(org, 'slack'), { apiKey: 'slack-key-1', workspace: 'w2' });
    const listed = await store.list(store.orgIntegrationPrefix(org));
    expect(listed.map((m) => m.name).sort()).toEqual([
      `estate/dev/orgs/${org}/notion`,
      `estate/dev/orgs/${org}/slack`,
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/key-|slack-key/);

    const deleted = await store.delete(name);
    expect(deleted.deletionDate).toBeInstanceOf(Date);
    expect((await store.describe(name)).deletedDate).toBeInstanceOf(Date);
    await expect(store.get(name)).rejects.toBeInstanceOf(RuntimeSecretError);
    expect((await store.list(store.orgIntegrationPrefix(org))).map((m) => m.name)).toEqual([
      `estate/dev/orgs/${org}/slack`,
    ]);
  });

  it('treats a retried put with the same token as a no-op, and another value under it as a conflict', async () => {
    const name = store.orgIntegrationName(uniqueOrg(), 'github');
    const token = randomUUID();
    const first = await store.put(
      name,
      { apiKey: 'gh-token-1', workspace: 'a' },
      { clientRequestToken: token },
    );
    const retried = await store.put(
      name,
      { apiKey: 'gh-token-1', workspace: 'a' },
      { clientRequestToken: token },
    );
    expect(retried).toEqual(first);

    const second = await store.put(
      name,
      { apiKey: 'gh-token-2', workspace: 'a' },
      { clientRequestToken: randomUUID() },
    );
    const retriedAgain = await store.put(
      name,
      { apiKey: 'gh-token-2', workspace: 'a' },
      { clientRequestToken: second.versionId },
    );
    expect(retriedAgain.versionId).toBe(second.versionId);

    const conflict = store.put(name, { apiKey: 'gh-token-3', workspace: 'a' }, { clientRequestToken: token });
    await expect(conflict).rejects.toBeInstanceOf(RuntimeSecretConflictError);
    await expect(conflict).rejects.not.toThrow(/gh-token/);
  });

  it('serves a cache hit without a call, and refetches after the TTL', async () => {
    const name = store.orgIntegrationName(uniqueOrg(), 'jira');
    await store.put(name, { apiKey: 'jira-key-1', workspace: 'j' });
    await store.get(name, ApiKey);
    endpoint.resetStats();

    clock += 59_000;
    expect(await store.get(name, ApiKey)).toEqual({ apiKey: 'jira-key-1', workspace: 'j' });
    expect(endpoint.stats().total).toBe(0);

    // Another writer changes it: the cache keeps the old value until the TTL ends.
    await client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: '{"apiKey":"jira-key-2","workspace":"j"}' }),
    );
    endpoint.resetStats();
    clock += 2_000;
    expect(await store.get(name, ApiKey)).toEqual({ apiKey: 'jira-key-2', workspace: 'j' });
    expect(endpoint.stats().calls.GetSecretValue).toBe(1);
  });

  it('keys the cache by version stage as well as name', async () => {
    const name = store.orgIntegrationName(uniqueOrg(), 'linear');
    await store.put(name, { apiKey: 'linear-key-1', workspace: 'l' });
    await store.put(name, { apiKey: 'linear-key-2', workspace: 'l' });
    expect((await store.get(name)).apiKey).toBe('linear-key-2');
    expect((await store.get(name, undefined, { versionStage: 'AWSPREVIOUS' })).apiKey).toBe('linear-key-1');
    expect((await store.get(name)).apiKey).toBe('linear-key-2');
  });

  it('shares one fetch between concurrent reads', async () => {
    const name = store.orgIntegrationName(uniqueOrg(), 'asana');
    await store.put(name, { apiKey: 'asana-key-1', workspace: 'a' });
    endpoint.resetStats();
    endpoint.setFaults([{ kind: 'latency', latencyMs: 50 }]);
    await Promise.all(Array.from({ length: 10 }, () => store.get(name)));
    expect(endpoint.stats().calls.GetSecretValue).toBe(1);
  });

  it('serves the stale value when the endpoint fails, logging without values, and throws without one', async () => {
    const name = store.orgIntegrationName(uniqueOrg(), 'zoom');
    await store.put(name, { apiKey: 'zoom-key-123', workspace: 'z' });
    await store.get(name);
    clock += 120_000;

    for (const kind of ['throttle', 'error500', 'drop'] as const) {
      endpoint.setFaults([{ kind, operation: 'GetSecretValue' }]);
      expect(await store.get(name, ApiKey)).toEqual({ apiKey: 'zoom-key-123', workspace: 'z' });
    }
    expect(warnings).toHaveLength(3);
    expect(warnings[0]!.details).toMatchObject({ secret: name, error: 'ThrottlingException' });
    expect(JSON.stringify(warnings)).not.toContain('zoom-key');

    endpoint.setFaults([{ kind: 'throttle', operation: 'GetSecretValue' }]);
    const cold = new RuntimeSecretStore({ env: 'dev', client });
    const failing = cold.get(name);
    await expect(failing).rejects.toBeInstanceOf(RuntimeSecretError);
    await expect(failing).rejects.toThrow(/GetSecretValue .*zoom: ThrottlingException/);
    await expect(failing).rejects.not.toThrow(/zoom-key/);

    endpoint.clearFaults();
    clock += 1;
    expect((await store.get(name)).apiKey).toBe('zoom-key-123');
  });

  it('maps a missing secret to RuntimeSecretNotFoundError, a RuntimeSecretError and a SecretsError', async () => {
    const missing = store.get(store.orgIntegrationName(uniqueOrg(), 'none'));
    await expect(missing).rejects.toBeInstanceOf(RuntimeSecretNotFoundError);
    await expect(missing).rejects.toBeInstanceOf(RuntimeSecretError);
    await expect(missing).rejects.toBeInstanceOf(SecretsError);
    await expect(missing).rejects.toMatchObject({
      code: 'RUNTIME_SECRET_NOT_FOUND',
      awsErrorName: 'ResourceNotFoundException',
    });
    await expect(store.describe(store.orgIntegrationName(uniqueOrg(), 'none'))).rejects.toBeInstanceOf(
      RuntimeSecretNotFoundError,
    );
  });

  it('reports schema and format problems by path, never the value', async () => {
    const name = store.orgIntegrationName(uniqueOrg(), 'bad');
    // Values that cannot occur in the random hex of the name: it was `42`, and one name in a few
    // hundred held "42" (the rare failure of this test).
    await store.put(name, { apiKey: 'short', workspace: 9_876_543 });
    const invalid = store.get(name, ApiKey);
    await expect(invalid).rejects.toBeInstanceOf(RuntimeSecretValidationError);
    await expect(invalid).rejects.toThrow(/apiKey: .*; workspace: /);
    await expect(invalid).rejects.not.toThrow(/short|9876543/);

    await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'not-json-secret-text' }));
    const garbled = new RuntimeSecretStore({ env: 'dev', client }).get(name);
    await expect(garbled).rejects.toThrow(/is not JSON/);
    await expect(garbled).rejects.not.toThrow(/secret-text/);
    await expect(store.put(name, [] as unknown as Record<string, unknown>)).rejects.toThrow(/JSON object/);
  });

  it('refuses a recovery window AWS would refuse, and evicts on delete', async () => {
    const name = store.orgIntegrationName(uniqueOrg(), 'drive');
    await store.put(name, { apiKey: 'drive-key-1', workspace: 'd' });
    await store.get(name);
    await expect(store.delete(name, { recoveryWindowInDays: 3 })).rejects.toThrow(/7 to 30/);
    await store.delete(name, { recoveryWindowInDays: 30 });
    await expect(store.get(name)).rejects.toBeInstanceOf(RuntimeSecretError);
    const raw = client.send(new GetSecretValueCommand({ SecretId: name }));
    await expect(raw).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });
});
