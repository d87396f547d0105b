/**
 * Authenticated GET throughput: the JWT key read from the secrets container (what the backend
 * does) against the naive pattern, fetching the key from Secrets Manager (the local endpoint,
 * over HTTP) on every request. Same route, same data, same machine, in one run.
 */
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import autocannon from 'autocannon';
import express, { type Express } from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { startBackend } from '../test/support/backend';
import { ENV } from '../test/support/seed';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const CONNECTIONS = 2 * cpus().length;

async function listen(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/me`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function measure(url: string, token: string): Promise<{ rps: number; p99: number; errors: number }> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { authorization: `Bearer ${token}` },
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function main(): Promise<void> {
  const backend = await startBackend();
  try {
    const email = `bench-${Date.now()}@example.com`;
    const password = 'correct horse battery staple';
    await request(backend.app).post('/api/v1/auth/register').send({ email, password }).expect(201);
    const token: string = (await request(backend.app).post('/api/v1/auth/login').send({ email, password }))
      .body.token;

    // The naive pattern: the key comes from Secrets Manager on every request, then the same route.
    const client = new SecretsManagerClient(backend.env.secrets.clientConfig('local-backend'));
    const naive = express();
    naive.use(async (incoming, response, next) => {
      const answer = await client.send(new GetSecretValueCommand({ SecretId: `estate/${ENV}/jwt` }));
      const key = JSON.parse(answer.SecretString!) as { secret: string };
      try {
        jwt.verify(incoming.get('authorization')!.slice('Bearer '.length), key.secret, {
          algorithms: ['HS256'],
        });
        next();
      } catch {
        response.status(401).end();
      }
    });
    naive.use(backend.app);

    const cached = await listen(backend.app);
    const fetched = await listen(naive);
    await measure(cached.url, token); // warm-up
    const fromContainer = await measure(cached.url, token);
    const fromSecretsManager = await measure(fetched.url, token);
    await Promise.all([cached.close(), fetched.close()]);

    const row = (name: string, r: { rps: number; p99: number; errors: number }) =>
      `| ${name.padEnd(52)} | ${r.rps.toFixed(0).padStart(8)} | ${String(r.p99).padStart(7)} | ${String(r.errors).padStart(6)} |`;
    console.log(
      `GET /api/v1/me, ${CONNECTIONS} connections (2 per core), ${DURATION_SECONDS} s each, Node ${process.version}`,
    );
    console.log(
      `| ${'key source'.padEnd(52)} | ${'req/s'.padStart(8)} | ${'p99 ms'.padStart(7)} | ${'errors'.padStart(6)} |`,
    );
    console.log(row('secrets container (secrets.get, in memory)', fromContainer));
    console.log(row('GetSecretValue on every request (local endpoint)', fromSecretsManager));
    console.log(`ratio: ${(fromContainer.rps / fromSecretsManager.rps).toFixed(2)}x`);
  } finally {
    await backend.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
