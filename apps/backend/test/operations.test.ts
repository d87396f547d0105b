import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, isPortOpen } from '@estate/testing';
import Redis from 'ioredis';
import request from 'supertest';
import { type Backend, seededSecretStrings, startBackend } from './support/backend';
import { putParameter } from './support/seed';

let backend: Backend;

beforeAll(async () => {
  backend = await startBackend();
});

afterAll(async () => {
  await backend.cleanup();
});

/** A private redis-server this test may stop: the shared one is never touched. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const deadline = Date.now() + 10_000;
  while (!(await isPortOpen(port))) {
    if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function readyUntil(app: Backend['app'], status: number): Promise<request.Response> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await request(app).get('/readyz');
    if (response.status === status || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('/healthz and /readyz', () => {
  it('goes 503 naming Redis while its Redis is down, and back to 200 when it returns', async () => {
    const port = await freePort();
    let server = await startRedis(port);
    const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    redis.on('error', () => {});
    const app = backend.withSettings({}, { redis });
    try {
      expect((await readyUntil(app, 200)).status).toBe(200);
      await stop(server);
      const down = await readyUntil(app, 503);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'not_ready', failing: ['redis'] });
      expect(down.body.checks.database).toEqual({ ok: true });
      await request(app).get('/healthz').expect(200);

      server = await startRedis(port);
      const back = await readyUntil(app, 200);
      expect(back.body).toMatchObject({ status: 'ready', failing: [] });
    } finally {
      redis.disconnect();
      await stop(server);
    }
  });

  it('goes 503 naming the secrets while Secrets Manager fails and a group is stale, then recovers', async () => {
    backend.env.secrets.endpoint.setFaults([{ kind: 'error500' }]);
    await backend.secrets.refresh();
    const stale = await request(backend.app).get('/readyz').expect(503);
    expect(stale.body.failing).toEqual(['secrets']);
    await request(backend.app).get('/healthz').expect(200);
    backend.env.secrets.endpoint.clearFaults();
    await backend.secrets.refresh();
    await request(backend.app).get('/readyz').expect(200);
  });

  it('goes 503 naming RabbitMQ when the consumer is disconnected', async () => {
    const app = backend.withSettings({}, { events: { isConnected: () => false } });
    const response = await request(app).get('/readyz').expect(503);
    expect(response.body.failing).toEqual(['rabbitmq']);
  });
});

describe('/metrics', () => {
  it('exposes the secrets metrics and HTTP request metrics', async () => {
    await request(backend.app).get('/healthz').expect(200);
    const response = await request(backend.app).get('/metrics').expect(200);
    expect(response.text).toContain('estate_secrets_api_calls_total');
    expect(response.text).toContain('estate_secrets_age_seconds');
    expect(response.text).toMatch(
      /estate_http_requests_total\{method="GET",route="\/healthz",status="200"\}/,
    );
  });
});

describe('headers', () => {
  it('sets helmet headers and allows only the origins of the allowed_origins parameter', async () => {
    await putParameter(
      backend.admin.ssm,
      'config/allowed_origins',
      'https://app.estate.test, https://admin.estate.test',
    );
    await backend.secrets.refresh();
    const allowed = await request(backend.app)
      .get('/healthz')
      .set('Origin', 'https://admin.estate.test')
      .expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.estate.test');
    expect(allowed.headers['x-content-type-options']).toBe('nosniff');
    expect(allowed.headers['x-powered-by']).toBeUndefined();
    const other = await request(backend.app)
      .get('/healthz')
      .set('Origin', 'https://evil.example')
      .expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers unknown routes with the error body', async () => {
    const response = await request(backend.app).get('/api/v1/nothing').expect(404);
    expect(response.body).toEqual({ error: { code: 'not_found', field: null, message: 'route not found' } });
  });
});

describe('/api/v1/openapi.json', () => {
  it('documents every route from the zod schemas', async () => {
    const response = await request(backend.app).get('/api/v1/openapi.json').expect(200);
    expect(response.body.openapi).toBe('3.0.3');
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/register',
        '/api/v1/auth/login',
        '/api/v1/me',
        '/api/v1/regions/{code}/trades',
        '/api/v1/regions/{code}/stats',
        '/api/v1/indices/{tableId}',
        '/api/v1/regions/{code}/summary',
        '/api/v1/jobs/{id}',
        '/api/v1/orgs/{orgId}/integrations/{tool}',
        '/api/v1/orgs/{orgId}/integrations',
      ]),
    );
    const register = response.body.paths['/api/v1/auth/register'].post;
    const schema = register.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(schema.additionalProperties).toBe(false);
    const trades = response.body.paths['/api/v1/regions/{code}/trades'].get;
    expect(trades.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'code', in: 'path', required: true }),
        expect.objectContaining({ name: 'from', in: 'query', required: false }),
      ]),
    );
    expect(trades.security).toEqual([{ bearer: [] }]);
  });
});

describe('logs', () => {
  it('never contain a seeded secret value', async () => {
    const text = backend.logs.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const value of seededSecretStrings(backend.values)) expect(text).not.toContain(value);
  });
});
