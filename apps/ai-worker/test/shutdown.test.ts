import type { ChildProcess } from 'node:child_process';
import {
  freePort,
  type ServiceProcess,
  sigtermAndWait,
  startPrivateRedis,
  stopPrivateRedis,
  TcpProxy,
  within,
} from '@estate/testing';
import { WorkerTestEnvironment, waitFor } from './support/environment';
import { spawnWorker } from './support/process';

let env: WorkerTestEnvironment;
let redis: ChildProcess | undefined;
let postgresProxy: TcpProxy | undefined;
let run: ServiceProcess | undefined;

beforeAll(async () => {
  env = await WorkerTestEnvironment.start();
  // PostgreSQL through a proxy this suite may freeze; the server is shared.
  const { host, port } = env.values.database;
  postgresProxy = await TcpProxy.start({ host, port });
  await env.putSecret('database', { ...env.values.database, host: '127.0.0.1', port: postgresProxy.port });
});

beforeEach(async () => {
  // The worker's Redis is a private one each test may take away: the shared one is never touched.
  const port = await freePort();
  redis = await startPrivateRedis(port);
  await env.putSecret('redis', { host: '127.0.0.1', port });
});

afterEach(async () => {
  run?.child.kill('SIGKILL');
  if (run) await run.exited;
  run = undefined;
  redis?.kill('SIGCONT');
  if (redis) await stopPrivateRedis(redis);
  redis = undefined;
  await postgresProxy?.restore();
});

afterAll(async () => {
  await postgresProxy?.stop();
  await env?.cleanup();
});

describe('SIGTERM', () => {
  it('exits 1 within 10 s when its Redis is gone, naming what it abandoned', async () => {
    run = spawnWorker(env.processEnvironment());
    const port = await within(run.ready, 30_000, 'startup');
    await stopPrivateRedis(redis!);
    // Until the worker has seen Redis go, a SIGTERM would race the loss.
    await waitFor(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`);
        const body = (await response.json()) as { checks: { redis: string } };
        return body.checks.redis === 'ok' ? undefined : true;
      },
      10_000,
      '/readyz to report Redis',
    );
    const output = await sigtermLeavesDrainIncomplete(run);
    // BullMQ's close waits on Redis; it gets what the deadline leaves after the later steps' bounds.
    expect(output).toContain('"step":"worker","budgetMs":6000,"msg":"shutdown step abandoned"');
    expect(output).toContain(
      '"abandoned":["worker"],"failed":[],"deadlineMs":8000,"msg":"shutdown incomplete; exiting"',
    );
  });

  it('exits within 10 s while its Redis and PostgreSQL are frozen, naming what it abandoned', async () => {
    run = spawnWorker(env.processEnvironment());
    await within(run.ready, 30_000, 'startup');
    postgresProxy!.freeze();
    redis!.kill('SIGSTOP');
    const output = await sigtermLeavesDrainIncomplete(run);
    expect(output).toMatch(/"abandoned":\[[^\]]*"worker"[^\]]*\],.*"msg":"shutdown incomplete; exiting"/);
  });
});

/**
 * SIGTERM, and the exit within 10 s: code 1 after a drain that could not finish, and no secret
 * value in anything it printed. Returns the output for the case's own checks.
 */
async function sigtermLeavesDrainIncomplete(run: ServiceProcess): Promise<string> {
  const { code, elapsedMs, output } = await sigtermAndWait(run, 10_000);
  expect(elapsedMs).toBeLessThan(10_000);
  expect(code).toBe(1);
  expect(output).toContain('"msg":"SIGTERM: draining"');
  expect(output).not.toContain('"msg":"stopped"');
  for (const value of [env.values.openai.apiKey, env.values.database.password])
    expect(output).not.toContain(value);
  return output;
}
