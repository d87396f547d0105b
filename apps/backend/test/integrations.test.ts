import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { RuntimeSecretAccessDeniedError } from '@estate/secrets/store';
import request from 'supertest';
import { type Backend, startBackend } from './support/backend';
import { ENV, random } from './support/seed';

let backend: Backend;
let owner: { token: string; orgId: string };
let outsider: { token: string; orgId: string };

async function account(): Promise<{ token: string; orgId: string }> {
  const email = `org-${random(6)}@example.com`;
  const password = 'correct horse battery staple';
  const registered = await request(backend.app)
    .post('/api/v1/auth/register')
    .send({ email, password })
    .expect(201);
  const login = await request(backend.app).post('/api/v1/auth/login').send({ email, password }).expect(200);
  return { token: login.body.token, orgId: registered.body.organization.id };
}

beforeAll(async () => {
  backend = await startBackend();
  owner = await account();
  outsider = await account();
});

afterAll(async () => {
  await backend.cleanup();
});

const as = (who: { token: string }) => ({
  put: (path: string, body: object) =>
    request(backend.app).put(path).set('Authorization', `Bearer ${who.token}`).send(body),
  get: (path: string) => request(backend.app).get(path).set('Authorization', `Bearer ${who.token}`),
  delete: (path: string) => request(backend.app).delete(path).set('Authorization', `Bearer ${who.token}`),
});

describe('organization integrations', () => {
  it('stores a credential write-only, lists metadata, and schedules deletion', async () => {
    const apiKey = random(32);
    const path = `/api/v1/orgs/${owner.orgId}/integrations/hubspot`;
    const stored = await as(owner)
      .put(path, { credential: { apiKey }, expiresAt: '2030-01-01T00:00:00Z' })
      .expect(200);
    expect(stored.body).toEqual({ integration: { tool: 'hubspot', versionId: expect.any(String) } });
    expect(JSON.stringify(stored.body)).not.toContain(apiKey);

    const value = await backend.admin.secretsManager.send(
      new GetSecretValueCommand({ SecretId: `estate/${ENV}/orgs/${owner.orgId}/hubspot` }),
    );
    expect(JSON.parse(value.SecretString!)).toEqual({ apiKey });

    const rotated = await as(owner)
      .put(path, { credential: { apiKey: random(32) } })
      .expect(200);
    expect(rotated.body.integration.versionId).not.toBe(stored.body.integration.versionId);

    const listed = await as(owner).get(`/api/v1/orgs/${owner.orgId}/integrations`).expect(200);
    expect(listed.body.integrations).toEqual([
      {
        tool: 'hubspot',
        createdAt: expect.any(String),
        lastRotatedAt: expect.any(String),
        expiresAt: '2030-01-01T00:00:00.000Z',
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(apiKey);

    const deleted = await as(owner).delete(path).expect(202);
    expect(deleted.body).toEqual({ tool: 'hubspot', deletionDate: expect.any(String) });
    const after = await as(owner).get(`/api/v1/orgs/${owner.orgId}/integrations`).expect(200);
    expect(after.body.integrations).toEqual([]);
    await as(owner).delete(`/api/v1/orgs/${owner.orgId}/integrations/slack`).expect(404);
  });

  it('lets only members of the organization touch it', async () => {
    const path = `/api/v1/orgs/${owner.orgId}/integrations/slack`;
    const put = await as(outsider)
      .put(path, { credential: { token: random() } })
      .expect(403);
    expect(put.body.error).toMatchObject({ code: 'not_a_member', field: 'orgId' });
    await as(outsider).get(`/api/v1/orgs/${owner.orgId}/integrations`).expect(403);
    await as(outsider).delete(path).expect(403);
  });

  it.each([
    ['a bad tool name', 'Hub Spot', { credential: { apiKey: 'k' } }, 'invalid_value', 'tool'],
    ['an empty credential', 'hubspot', { credential: {} }, 'invalid_value', 'credential'],
    ['an unknown field', 'hubspot', { credential: { apiKey: 'k' }, owner: 'x' }, 'unknown_field', 'owner'],
    ['a non-string value', 'hubspot', { credential: { apiKey: 5 } }, 'invalid_type', 'credential.apiKey'],
    [
      'a bad expiry',
      'hubspot',
      { credential: { apiKey: 'k' }, expiresAt: 'soon' },
      'invalid_value',
      'expiresAt',
    ],
  ])('answers 400 to %s', async (_case, tool, body, code, field) => {
    const response = await as(owner)
      .put(`/api/v1/orgs/${owner.orgId}/integrations/${encodeURIComponent(tool)}`, body)
      .expect(400);
    expect(response.body.error).toMatchObject({ code, field });
  });

  it('answers 400 to an organization id that is not a uuid', async () => {
    const response = await as(owner).get('/api/v1/orgs/not-a-uuid/integrations').expect(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_value', field: 'orgId' });
  });
});

describe('least privilege: the integration store runs as local-backend', () => {
  it('uses the backend access key, not the endpoint admin', async () => {
    const credentials = await backend.integrationsClient.config.credentials();
    expect(credentials.accessKeyId).toBe('local-backend');
  });

  it('cannot write, create or delete outside estate/{env}/orgs/', async () => {
    const client = backend.integrationsClient;
    const denied = async (promise: Promise<unknown>) =>
      expect(promise).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await denied(
      client.send(new PutSecretValueCommand({ SecretId: `estate/${ENV}/jwt`, SecretString: '{}' })),
    );
    await denied(
      client.send(new PutSecretValueCommand({ SecretId: `estate/${ENV}/database`, SecretString: '{}' })),
    );
    await denied(
      client.send(new CreateSecretCommand({ Name: `estate/${ENV}/other-${random(6)}`, SecretString: '{}' })),
    );
    await denied(
      client.send(
        new CreateSecretCommand({ Name: `estate/staging/orgs/${random(6)}/x`, SecretString: '{}' }),
      ),
    );
    await denied(client.send(new DeleteSecretCommand({ SecretId: `estate/${ENV}/jwt` })));
    // Nor read a group outside its manifest.
    await denied(client.send(new GetSecretValueCommand({ SecretId: `estate/${ENV}/openai` })));
    const store = backend.deps.integrations;
    await expect(store.put(`estate/${ENV}/jwt`, { secret: random(40) })).rejects.toBeInstanceOf(
      RuntimeSecretAccessDeniedError,
    );
  });
});
