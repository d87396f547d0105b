/**
 * 30 seconds of authenticated reads that touch PostgreSQL (`GET /api/v1/me`) against the backend
 * over a private scram-sha-256 cluster, while the database password (t = 10 s) and the JWT key
 * (t = 20 s) are rotated through RotateSecret with the rotator in process. Prints requests served,
 * failed requests, and p99 latency in the 5 seconds around each rotation vs the steady state.
 */
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { startPrivateCluster } from '@estate/testing';
import autocannon from 'autocannon';
import request from 'supertest';
import { startBackend } from '../test/support/backend';
import { rotateNow } from '../test/support/rotator';
import { random } from '../test/support/seed';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 30);
const CONNECTIONS = 2 * cpus().length;
const WINDOW_MS = 5_000;

interface Sample {
  at: number;
  ms: number;
  ok: boolean;
}

function p99(samples: Sample[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

async function main(): Promise<void> {
  const cluster = await startPrivateCluster();
  const role = `estate_bench_${random(3)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
  const password = random();
  const superuser = await cluster.admin();
  await superuser.query(`CREATE ROLE ${role} LOGIN PASSWORD ${superuser.escapeLiteral(password)}`);
  await superuser.query(`CREATE DATABASE ${role} OWNER ${role}`);
  await superuser.end();

  const backend = await startBackend({
    rotation: true,
    refreshIntervalMs: 1_000,
    values: {
      database: { host: cluster.host, port: cluster.port, dbname: role, username: role, password },
    },
  });
  try {
    const email = `bench-${random(6)}@example.com`;
    const userPassword = 'correct horse battery staple';
    await request(backend.app)
      .post('/api/v1/auth/register')
      .send({ email, password: userPassword })
      .expect(201);
    const login = await request(backend.app)
      .post('/api/v1/auth/login')
      .send({ email, password: userPassword })
      .expect(200);
    const token = login.body.token as string;

    const server = backend.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;

    const samples: Sample[] = [];
    const started = Date.now();
    const rotations: Array<{ name: string; at: number; tookMs: number }> = [];
    const rotateAt = (name: string, secretId: string, offsetMs: number) =>
      new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          const at = Date.now();
          rotateNow(backend.admin.secretsManager, secretId).then(() => {
            rotations.push({ name, at, tookMs: Date.now() - at });
            resolve();
          }, reject);
        }, offsetMs);
      });
    const scheduled = Promise.all([
      rotateAt('database password', 'estate/dev/database', (DURATION_SECONDS * 1000) / 3),
      rotateAt('JWT key', 'estate/dev/jwt', (DURATION_SECONDS * 2000) / 3),
    ]);
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: `http://127.0.0.1:${port}/api/v1/me`,
          connections: CONNECTIONS,
          duration: DURATION_SECONDS,
          headers: { authorization: `Bearer ${token}` },
        },
        (error, finished) => (error ? reject(error) : resolve(finished)),
      );
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        samples.push({ at: Date.now(), ms: responseTime, ok: statusCode === 200 });
      });
    });
    await scheduled;
    await new Promise((resolve) => server.close(() => resolve(undefined)));

    const failed = samples.filter((sample) => !sample.ok).length + result.errors + result.timeouts;
    const near = (sample: Sample, at: number) => Math.abs(sample.at - at) <= WINDOW_MS / 2;
    const warmedUp = (sample: Sample) => sample.at - started > 2_000;
    const steady = samples.filter(
      (sample) => warmedUp(sample) && rotations.every((rotation) => !near(sample, rotation.at)),
    );
    const lines = [
      `backend under rotation: ${DURATION_SECONDS} s, ${CONNECTIONS} connections, GET /api/v1/me (users + memberships queries)`,
      `requests served: ${samples.length} (${Math.round(samples.length / DURATION_SECONDS)}/s), failed: ${failed}`,
      `steady state (outside the rotation windows, after 2 s warm-up): p99 ${p99(steady).toFixed(1)} ms over ${steady.length} requests`,
      ...rotations
        .sort((a, b) => a.at - b.at)
        .map((rotation) => {
          const around = samples.filter((sample) => near(sample, rotation.at));
          return `${rotation.name} rotated at t=${((rotation.at - started) / 1000).toFixed(1)} s (RotateSecret ${rotation.tookMs} ms): p99 ${p99(around).toFixed(1)} ms over ${around.length} requests in the 5 s around it, ${around.filter((sample) => !sample.ok).length} failed`;
        }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (failed > 0) process.exitCode = 1;
  } finally {
    await backend.cleanup();
    await cluster.remove();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
