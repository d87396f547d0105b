import type { ChildProcess } from 'node:child_process';
import { localAccessPolicy } from '@estate/secrets/policy';
import {
  freePort,
  type ServiceProcess,
  sigtermAndWait,
  startPrivateRedis,
  stopPrivateRedis,
  TcpProxy,
  type TestEnvironment,
  useTestEnvironment,
  within,
} from '@estate/testing';
import { manifest } from '../src/secrets';
import { spawnMain } from './support/main-process';

import { adminClients, backendValues, ENV, type SeededValues, seedSecrets } from './support/seed';

let env: TestEnvironment;
let values: SeededValues;
let redis: ChildProcess | undefined;
let postgresProxy: TcpProxy | undefined;
let rabbitmqProxy: TcpProxy | undefined;
let run: ServiceProcess | undefined;

beforeAll(async () => {
  env = await useTestEnvironment({ secrets: { policy: localAccessPolicy([manifest], ENV) } });
  // The backend's Redis is a private one this suite may freeze: the shared one is never touched.
  const port = await freePort();
  redis = await startPrivateRedis(port);
  // PostgreSQL and RabbitMQ through proxies this suite may freeze; the servers are shared.
  postgresProxy = await TcpProxy.start({ host: env.postgres.host, port: env.postgres.port });
  const broker = new URL(env.rabbitmq.url);
  rabbitmqProxy = await TcpProxy.start({ host: broker.hostname, port: Number(broker.port || 5672) });
  broker.port = String(rabbitmqProxy.port);
  const defaults = backendValues(env);
  values = backendValues(env, {
    redis: { host: '127.0.0.1', port },
    database: { ...defaults.database, host: '127.0.0.1', port: postgresProxy.port },
    rabbitmq: { url: broker.toString() },
  });
  await seedSecrets(adminClients(env).secretsManager, values as unknown as Record<string, unknown>);
});

afterEach(async () => {
  run?.child.kill('SIGKILL');
  if (run) await run.exited;
  run = undefined;
  redis?.kill('SIGCONT');
  await postgresProxy?.restore();
  await rabbitmqProxy?.restore();
});

afterAll(async () => {
  run?.child.kill('SIGKILL');
  await postgresProxy?.stop();
  await rabbitmqProxy?.stop();
  // SIGKILL ends a stopped process too.
  if (redis) await stopPrivateRedis(redis);
  await env?.cleanup();
});

function startMain(): ServiceProcess {
  return spawnMain({
    ESTATE_ENV: ENV,
    AWS_ENDPOINT_URL: env.secrets.endpoint.url,
    AWS_ACCESS_KEY_ID: 'local-backend',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'ap-northeast-2',
  });
}

describe('SIGTERM', () => {
  it('exits 1 within 10 s while its Redis is frozen, naming what it abandoned', async () => {
    run = startMain();
    await within(run.ready, 45_000, 'startup');
    // Frozen, not gone: the sockets stay open and nothing answers, so a close that waits on
    // Redis would wait for ever.
    redis!.kill('SIGSTOP');
    const output = await sigtermLeavesDrainIncomplete(run);
    // BullMQ's queue waits for Redis to answer QUIT; the server, consumer and pool close as usual.
    expect(output).toContain('"step":"queue","budgetMs":1000,"msg":"shutdown step abandoned"');
    expect(output).toContain(
      '"abandoned":["queue"],"failed":[],"deadlineMs":8000,"msg":"shutdown incomplete; exiting"',
    );
  });

  it('exits within 10 s while PostgreSQL, Redis and RabbitMQ are all frozen, naming what it abandoned', async () => {
    run = startMain();
    await within(run.ready, 45_000, 'startup');
    postgresProxy!.freeze();
    rabbitmqProxy!.freeze();
    redis!.kill('SIGSTOP');
    const output = await sigtermLeavesDrainIncomplete(run);
    expect(output).toMatch(/"abandoned":\[[^\]]*"queue"[^\]]*\],.*"msg":"shutdown incomplete; exiting"/);
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
  for (const value of [values.jwt.secret, values.database.password, values.ses.smtpPassword])
    expect(output).not.toContain(value);
  return output;
}
