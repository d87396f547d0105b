import { freePort, startPrivateRedis, stopPrivateRedis } from '@estate/testing';
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { type Backend, seededSecretStrings, startBackend } from './support/backend';
import { putSecret, random } from './support/seed';
import { waitFor } from './support/wait-for';

let backend: Backend;

beforeAll(async () => {
  backend = await startBackend();
});

afterAll(async () => {
  await backend.cleanup();
});

const email = () => `user-${random(6)}@example.com`;
const password = 'correct horse battery staple';

async function registerAndLogin(address = email()): Promise<string> {
  await request(backend.app).post('/api/v1/auth/register').send({ email: address, password }).expect(201);
  const login = await request(backend.app)
    .post('/api/v1/auth/login')
    .send({ email: address, password })
    .expect(200);
  return login.body.token as string;
}

describe('register, login, me', () => {
  it('registers a user with their own organization, logs in and reads /me', async () => {
    const address = email();
    const registered = await request(backend.app)
      .post('/api/v1/auth/register')
      .send({ email: address, password, displayName: '김민지' })
      .expect(201);
    expect(registered.body.user).toMatchObject({ email: address, displayName: '김민지' });
    expect(registered.body.organization).toMatchObject({ role: 'owner' });
    expect(JSON.stringify(registered.body)).not.toContain('password');

    const login = await request(backend.app)
      .post('/api/v1/auth/login')
      .send({ email: address.toUpperCase(), password })
      .expect(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: '15m' });
    const header = jwt.decode(login.body.token, { complete: true })!.header;
    expect(header).toMatchObject({ alg: 'HS256', kid: backend.secrets.versionId('jwt') });

    const me = await request(backend.app)
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${login.body.token}`)
      .expect(200);
    expect(me.body.user.id).toBe(registered.body.user.id);
    expect(me.body.organizations).toEqual([registered.body.organization]);
  });

  it('answers 409 to a second account for the same address in any case, and writes nothing', async () => {
    const address = email();
    await request(backend.app).post('/api/v1/auth/register').send({ email: address, password }).expect(201);
    const before = await backend.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations');
    const duplicate = await request(backend.app)
      .post('/api/v1/auth/register')
      .send({ email: address.toUpperCase(), password })
      .expect(409);
    expect(duplicate.body).toEqual({
      error: { code: 'email_taken', field: 'email', message: 'an account with this email already exists' },
    });
    const after = await backend.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations');
    expect(after).toEqual(before);
  });

  it('refuses a wrong password and an unknown address with the same answer', async () => {
    const address = email();
    await request(backend.app).post('/api/v1/auth/register').send({ email: address, password }).expect(201);
    const wrong = await request(backend.app)
      .post('/api/v1/auth/login')
      .send({ email: address, password: 'not the password' });
    const unknown = await request(backend.app).post('/api/v1/auth/login').send({ email: email(), password });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', '{"email": ', 'malformed_json', null],
    ['a wrong type', { email: 'a@example.com', password: 12345678901 }, 'invalid_type', 'password'],
    ['an unknown field', { email: 'a@example.com', password, admin: true }, 'unknown_field', 'admin'],
    ['a missing field', { email: 'a@example.com' }, 'required', 'password'],
    ['an invalid email', { email: 'not-an-email', password }, 'invalid_value', 'email'],
    ['a short password', { email: 'a@example.com', password: 'short' }, 'invalid_value', 'password'],
    ['a JSON array', [1, 2], 'invalid_type', null],
    [
      'an oversized body',
      { email: 'a@example.com', password, displayName: 'x'.repeat(20_000) },
      'body_too_large',
      null,
    ],
  ])('answers 400 to %s', async (_case, body, code, field) => {
    const response = await request(backend.app)
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body))
      .expect(400);
    expect(response.body.error).toMatchObject({ code, field });
    expect(typeof response.body.error.message).toBe('string');
  });

  it('answers 400 invalid_body when the body is not JSON at all', async () => {
    const response = await request(backend.app)
      .post('/api/v1/auth/login')
      .type('text/plain')
      .send('hello')
      .expect(400);
    expect(response.body.error.code).toBe('invalid_body');
  });
});

const sign = (payload: object, key: string, options: jwt.SignOptions) =>
  jwt.sign(payload, key, {
    algorithm: 'HS256',
    issuer: 'estate-test',
    subject: '00000000-0000-4000-8000-000000000000',
    ...options,
  });

describe('tokens', () => {
  it.each([
    ['no header', undefined, 'missing_token'],
    ['a malformed token', 'Bearer not.a.token', 'invalid_token'],
    ['a non-bearer scheme', 'Basic dXNlcjpwYXNz', 'missing_token'],
  ])('answers 401 to %s', async (_case, header, code) => {
    const call = request(backend.app).get('/api/v1/me');
    if (header) call.set('Authorization', header);
    const response = await call.expect(401);
    expect(response.body.error.code).toBe(code);
  });

  it('refuses alg none, a bad signature, an expired token and an unknown kid, each with its reason', async () => {
    const kid = backend.secrets.versionId('jwt')!;
    const key = backend.values.jwt.secret;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'x', email: 'x@example.com', iss: 'estate-test' }),
    ).toString('base64url')}.`;
    const cases: Array<[string, string]> = [
      [none, 'unsupported_algorithm'],
      [sign({ email: 'x@example.com' }, random(48), { keyid: kid }), 'invalid_token'],
      [
        sign({ email: 'x@example.com', exp: Math.floor(Date.now() / 1000) - 60 }, key, { keyid: kid }),
        'token_expired',
      ],
      [sign({ email: 'x@example.com' }, key, { keyid: 'not-a-version' }), 'unknown_kid'],
      [sign({ email: 'x@example.com' }, key, {}), 'unknown_kid'],
      [sign({ email: 'x@example.com' }, key, { keyid: kid, issuer: 'someone-else' }), 'invalid_token'],
    ];
    for (const [token, code] of cases) {
      const response = await request(backend.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      expect({ status: response.status, code: response.body.error?.code }).toEqual({ status: 401, code });
    }
  });

  it('keeps verifying a token signed before a rotation, signs new ones with the new key, and forgets keys older than that', async () => {
    const before = await registerAndLogin();
    const oldKid = backend.secrets.versionId('jwt');

    const newVersion = await putSecret(backend.admin.secretsManager, 'jwt', {
      ...backend.values.jwt,
      secret: random(48),
    });
    await backend.secrets.refresh('jwt');
    expect(backend.secrets.versionId('jwt')).toBe(newVersion);
    expect(backend.secrets.previousVersionId('jwt')).toBe(oldKid);

    await request(backend.app).get('/api/v1/me').set('Authorization', `Bearer ${before}`).expect(200);
    const after = await registerAndLogin();
    expect(jwt.decode(after, { complete: true })!.header.kid).toBe(newVersion);
    await request(backend.app).get('/api/v1/me').set('Authorization', `Bearer ${after}`).expect(200);

    // A second rotation pushes the first key out of AWSPREVIOUS: its tokens now name an unknown kid.
    await putSecret(backend.admin.secretsManager, 'jwt', { ...backend.values.jwt, secret: random(48) });
    await backend.secrets.refresh('jwt');
    const refused = await request(backend.app)
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${before}`)
      .expect(401);
    expect(refused.body.error.code).toBe('unknown_kid');
    await request(backend.app).get('/api/v1/me').set('Authorization', `Bearer ${after}`).expect(200);
  });
});

describe('a kid this instance has not loaded yet', () => {
  const apiCalls = async () => {
    const metric = backend.deps.registry.getSingleMetric('estate_secrets_api_calls_total');
    const values = (await metric!.get()).values;
    return values
      .filter((value) => value.labels.operation === 'BatchGetSecretValue')
      .reduce((sum, value) => sum + value.value, 0);
  };

  it('verifies a token signed with a key put after this instance loaded, after one forced refresh', async () => {
    const app = backend.withSettings({});
    const address = email();
    await request(app).post('/api/v1/auth/register').send({ email: address, password }).expect(201);
    const me = await request(app).post('/api/v1/auth/login').send({ email: address, password }).expect(200);
    const userId = (jwt.decode(me.body.token) as { sub: string }).sub;
    // Another replica already signs with a key this one has not refreshed to yet.
    const newer = { ...backend.values.jwt, secret: random(48) };
    const kid = await putSecret(backend.admin.secretsManager, 'jwt', newer);
    const token = sign({ email: address }, newer.secret, { keyid: kid, subject: userId });
    const before = await apiCalls();
    await request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(await apiCalls()).toBe(before + 1);
    expect(backend.secrets.versionId('jwt')).toBe(kid);
  });

  it('random kids cause at most one refresh per window', async () => {
    const app = backend.withSettings({ tokens: { unknownKidRefreshIntervalMs: 10_000 } });
    const before = await apiCalls();
    for (let i = 0; i < 30; i += 1) {
      const token = sign({ email: 'x@example.com' }, random(48), { keyid: random(16) });
      const response = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      expect({ status: response.status, code: response.body.error?.code }).toEqual({
        status: 401,
        code: 'unknown_kid',
      });
    }
    expect(await apiCalls()).toBe(before + 1);
  });
});

describe('login rate limit', () => {
  it('limits attempts per email and per IP in Redis, with Retry-After', async () => {
    const limited = backend.withSettings({
      loginLimits: { perIp: { limit: 6, windowMs: 60_000 }, perEmail: { limit: 3, windowMs: 60_000 } },
      trustProxy: true,
    });
    // An address of its own, so the earlier tests' logins do not count against this one.
    const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`;
    const login = (address: string) =>
      request(limited)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: address, password });
    const address = email();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      statuses.push((await login(address)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const other = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      other.push(await login(email()));
    }
    expect(other.map((response) => response.status)).toEqual([401, 401, 429]);
    expect(other[2]!.body.error.code).toBe('rate_limited');
    expect(Number(other[2]!.headers['retry-after'])).toBeGreaterThan(0);
    const keys = await backend.deps.redis.keys(`${backend.env.redis.keyPrefix}ratelimit:login:*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.join(' ')).not.toContain('@');
  });
});

describe('while the attempt counter cannot reach Redis', () => {
  // Before: the limiter's eval failed and login answered 500 internal_error for the whole outage.
  it('login answers 503 rate_limit_unavailable with Retry-After at once (fails closed), and logs in again once Redis is back', async () => {
    const port = await freePort();
    let server = await startPrivateRedis(port);
    // As main.ts makes it: no offline queue, one retry per command.
    const redis = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    const app = backend.withSettings({}, { redis });
    const address = email();
    await request(app).post('/api/v1/auth/register').send({ email: address, password }).expect(201);
    const login = () => request(app).post('/api/v1/auth/login').send({ email: address, password });
    try {
      await waitFor(async () => redis.status === 'ready');
      await login().expect(200);
      await stopPrivateRedis(server);

      const started = Date.now();
      const refused = await login().expect(503);
      // A hang would last until Redis is back (after these lines): the bound only has to be finite.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.body.error).toMatchObject({ code: 'rate_limit_unavailable', field: null });
      // Routes that do not count attempts are not affected.
      await request(app).post('/api/v1/auth/register').send({ email: email(), password }).expect(201);

      server = await startPrivateRedis(port);
      let status = 0;
      await waitFor(async () => {
        status = (await login()).status;
        return status !== 503;
      });
      expect(status).toBe(200);
    } finally {
      redis.disconnect();
      await stopPrivateRedis(server);
    }
  });
});

describe('logs', () => {
  it('never contain a seeded secret value', async () => {
    expect(backend.logs.length).toBeGreaterThan(10);
    const text = backend.logs.join('');
    for (const value of seededSecretStrings(backend.values)) expect(text).not.toContain(value);
  });
});
