/**
 * Logins must not stall the API. Authenticated GET /api/v1/me (p99, throughput) and the event
 * loop's delay (p99) while a second client logs in 5 times a second: with no logins (the floor),
 * with the previous release's password path (bcryptjs at cost 12, on the event loop) and with
 * the current one (Argon2id at OWASP's costs on the thread pool, bounded). Same process, same
 * route, same data, in one run.
 */
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import bcrypt from 'bcryptjs';
import type { Express } from 'express';
import request from 'supertest';
import { OWASP_ARGON2ID, type PasswordHasher } from '../src/auth/passwords';
import { startBackend } from '../test/support/backend';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const CONNECTIONS = 2 * cpus().length;
const LOGINS_PER_SECOND = 5;

/** The previous release's path, kept here as the baseline: bcryptjs cost 12 in JavaScript. */
const bcryptjsCost12: PasswordHasher = {
  hash: (password) => bcrypt.hash(password, 12),
  verify: async (password, hash) => hash !== undefined && (await bcrypt.compare(password, hash)),
  needsRehash: () => false,
};

interface Figures {
  rps: number;
  p99: number;
  errors: number;
  loopDelayP99Ms: number;
  logins: number;
  loginErrors: number;
}

async function listen(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function measure(
  app: Express,
  token: string,
  login?: { email: string; password: string },
): Promise<Figures> {
  const server = await listen(app);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let logins = 0;
  let loginErrors = 0;
  const pending: Promise<unknown>[] = [];
  const timer = login
    ? setInterval(() => {
        const attempt = fetch(`${server.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(login),
        }).then(
          (answer) => {
            logins += 1;
            if (answer.status !== 200) loginErrors += 1;
            return answer.arrayBuffer();
          },
          () => {
            loginErrors += 1;
          },
        );
        pending.push(attempt);
      }, 1_000 / LOGINS_PER_SECOND)
    : undefined;
  loop.enable();
  try {
    const result = await autocannon({
      url: `${server.url}/api/v1/me`,
      connections: CONNECTIONS,
      duration: DURATION_SECONDS,
      headers: { authorization: `Bearer ${token}` },
    });
    return {
      rps: result.requests.average,
      p99: result.latency.p99,
      errors: result.errors + result.non2xx,
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      logins,
      loginErrors,
    };
  } finally {
    loop.disable();
    clearInterval(timer);
    await Promise.allSettled(pending);
    await server.close();
  }
}

async function signUp(app: Express, email: string, password: string): Promise<string> {
  await request(app).post('/api/v1/auth/register').send({ email, password }).expect(201);
  return (await request(app).post('/api/v1/auth/login').send({ email, password }).expect(200)).body.token;
}

async function main(): Promise<void> {
  const backend = await startBackend();
  try {
    const password = 'correct horse battery staple';
    const current = backend.withSettings({ passwordHashing: OWASP_ARGON2ID });
    const previous = backend.withSettings({}, { passwords: bcryptjsCost12 });
    const token = await signUp(current, `bench-reader-${Date.now()}@example.com`, password);
    const argonUser = { email: `bench-argon-${Date.now()}@example.com`, password };
    const bcryptUser = { email: `bench-bcrypt-${Date.now()}@example.com`, password };
    await signUp(current, argonUser.email, password);
    await signUp(previous, bcryptUser.email, password);

    await measure(current, token); // warm-up
    const floor = await measure(current, token);
    const withBcryptjs = await measure(previous, token, bcryptUser);
    const withArgon2id = await measure(current, token, argonUser);

    const row = (name: string, r: Figures) =>
      `| ${name.padEnd(44)} | ${r.rps.toFixed(0).padStart(7)} | ${String(r.p99).padStart(6)} | ${r.loopDelayP99Ms.toFixed(1).padStart(13)} | ${`${r.logins}/${r.loginErrors}`.padStart(11)} | ${String(r.errors).padStart(6)} |`;
    console.log(
      `GET /api/v1/me, ${CONNECTIONS} connections, ${DURATION_SECONDS} s each, ${LOGINS_PER_SECOND} logins/s beside it, Node ${process.version}`,
    );
    console.log(
      `| ${'password path'.padEnd(44)} | ${'req/s'.padStart(7)} | ${'p99 ms'.padStart(6)} | ${'loop p99 ms'.padStart(13)} | ${'logins/err'.padStart(11)} | ${'errors'.padStart(6)} |`,
    );
    console.log(row('no logins (floor)', floor));
    console.log(row('bcryptjs cost 12, event loop (previous)', withBcryptjs));
    console.log(row('Argon2id 19 MiB t=2 p=1, thread pool (now)', withArgon2id));
    console.log(
      `/me p99 against the floor: previous ${(withBcryptjs.p99 / floor.p99).toFixed(2)}x, now ${(withArgon2id.p99 / floor.p99).toFixed(2)}x (target: within 2x)`,
    );
  } finally {
    await backend.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
