import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LocalEndpoint } from '@estate/secrets-local';
import { OAuthTokenManager, OAuthTokenRefreshError, RuntimeSecretStore } from '../../src/store';
import { clientFor, json, startEndpoint, startTokenEndpoint, type TokenEndpoint, uniqueOrg } from './helpers';

describe('OAuthTokenManager', () => {
  let endpoint: LocalEndpoint;
  let client: SecretsManagerClient;
  let tokens: TokenEndpoint;
  let clock: number;
  let store: RuntimeSecretStore;
  let manager: OAuthTokenManager;

  beforeAll(async () => {
    endpoint = await startEndpoint();
    client = clientFor(endpoint);
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.stop();
  });
  beforeEach(async () => {
    tokens = await startTokenEndpoint();
    clock = Date.parse('2030-01-01T00:00:00Z');
    store = new RuntimeSecretStore({ env: 'dev', client, now: () => clock });
    manager = new OAuthTokenManager({ store, now: () => clock });
  });
  afterEach(() => tokens.stop());

  async function storeCredential(expiresInMs: number, extra: Record<string, unknown> = {}): Promise<string> {
    const name = store.orgIntegrationName(uniqueOrg(), 'hubspot');
    await store.put(name, {
      accessToken: 'at-old',
      refreshToken: 'rt-old',
      expiresAt: new Date(clock + expiresInMs).toISOString(),
      ...extra,
    });
    return name;
  }

  it('returns the stored token while it is outside the refresh buffer, without calling the provider', async () => {
    const name = await storeCredential(10 * 60_000);
    expect(await manager.getAccessToken(name, { tokenEndpoint: tokens.url, clientId: 'estate' })).toBe(
      'at-old',
    );
    expect(tokens.requests).toHaveLength(0);
  });

  it('refreshes ahead of expiry with the refresh_token grant and writes the new token back', async () => {
    const name = await storeCredential(4 * 60_000, {
      tokenEndpoint: tokens.url,
      clientId: 'estate',
      tenant: 't-1',
    });
    const token = await manager.getAccessToken(name, { clientSecret: 'cs-1' });
    expect(token).toBe('at-new-1');

    expect(tokens.requests).toHaveLength(1);
    const [request] = tokens.requests;
    expect(request!.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-old',
    });
    expect(request!.authorization).toBe(`Basic ${Buffer.from('estate:cs-1').toString('base64')}`);

    const stored = await new RuntimeSecretStore({ env: 'dev', client }).get(name);
    expect(stored).toEqual({
      accessToken: 'at-new-1',
      refreshToken: 'rt-old', // the response had no refresh_token: the old one is kept
      expiresAt: new Date(clock + 3600_000).toISOString(),
      tokenType: 'Bearer',
      tokenEndpoint: tokens.url,
      clientId: 'estate',
      tenant: 't-1',
    });
    // The new token is served from then on without another refresh.
    expect(await manager.getAccessToken(name)).toBe('at-new-1');
    expect(tokens.requests).toHaveLength(1);
  });

  it('stores a rotated refresh token, and can send client credentials in the body', async () => {
    tokens.respond = (_request, res) =>
      json(res, 200, { access_token: 'at-rotated', refresh_token: 'rt-new', expires_in: 600 });
    const name = await storeCredential(-60_000);
    const token = await manager.getAccessToken(name, {
      tokenEndpoint: tokens.url,
      clientId: 'estate',
      clientSecret: 'cs-2',
      clientAuth: 'body',
    });
    expect(token).toBe('at-rotated');
    expect(tokens.requests[0]!.authorization).toBeUndefined();
    expect(tokens.requests[0]!.form.get('client_id')).toBe('estate');
    expect(tokens.requests[0]!.form.get('client_secret')).toBe('cs-2');
    expect((await new RuntimeSecretStore({ env: 'dev', client }).get(name)).refreshToken).toBe('rt-new');
  });

  it('makes exactly one token request for 10 concurrent callers', async () => {
    const name = await storeCredential(60_000);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        manager.getAccessToken(name, { tokenEndpoint: tokens.url, clientId: 'estate' }),
      ),
    );
    expect(new Set(results)).toEqual(new Set(['at-new-1']));
    expect(tokens.requests).toHaveLength(1);
  });

  it('turns invalid_grant into a named error with the OAuth code and no token', async () => {
    tokens.respond = (_request, res) =>
      json(res, 400, { error: 'invalid_grant', error_description: 'refresh token rt-old was revoked' });
    const name = await storeCredential(-1);
    const failing = manager.getAccessToken(name, {
      tokenEndpoint: tokens.url,
      clientId: 'estate',
      clientSecret: 'cs-3',
    });
    await expect(failing).rejects.toBeInstanceOf(OAuthTokenRefreshError);
    await expect(failing).rejects.toMatchObject({
      oauthError: 'invalid_grant',
      status: 400,
      transient: false,
    });
    const error = (await failing.catch((e: unknown) => e)) as Error;
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toMatch(/rt-old|at-old|cs-3/);
  });

  it('keeps serving a still-valid token when the provider is down, and fails once it has expired', async () => {
    tokens.respond = (_request, res) => json(res, 503, { error: 'temporarily_unavailable' });
    const name = await storeCredential(2 * 60_000);
    expect(await manager.getAccessToken(name, { tokenEndpoint: tokens.url, clientId: 'estate' })).toBe(
      'at-old',
    );

    clock += 3 * 60_000;
    const expired = manager.getAccessToken(name, { tokenEndpoint: tokens.url, clientId: 'estate' });
    await expect(expired).rejects.toMatchObject({
      name: 'OAuthTokenRefreshError',
      transient: true,
      status: 503,
    });
    await expect(expired).rejects.not.toThrow(/at-old|rt-old/);

    await tokens.stop();
    const unreachable = manager.getAccessToken(name, { tokenEndpoint: tokens.url, clientId: 'estate' });
    await expect(unreachable).rejects.toThrow(/unreachable/);
  });

  it('says what is missing when there is no refresh token or endpoint', async () => {
    const name = store.orgIntegrationName(uniqueOrg(), 'box');
    await store.put(name, { accessToken: 'at-x', expiresAt: new Date(clock).toISOString() });
    await expect(manager.getAccessToken(name, { tokenEndpoint: tokens.url })).rejects.toThrow(
      /no refreshToken/,
    );
    const withRefresh = await storeCredential(0);
    await expect(manager.getAccessToken(withRefresh)).rejects.toThrow(/no tokenEndpoint/);
  });
});
