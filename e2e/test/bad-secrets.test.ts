import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { awsEnvironment, exitOf, spawnFromSource } from '../src/stack';
import { adminClient } from '../src/stack/secrets-endpoint';
import { linesOf } from './support/bad-inputs';
import {
  api,
  capture,
  capturedResponses,
  type IsolatedStack,
  signUp,
  startIsolatedStack,
} from './support/isolated-stack';

// Reliability, issue 9 case 5 (secrets): malformed values put into the endpoint as the new
// AWSCURRENT (not JSON, a field of the wrong type, a required field missing, an invalid URL).
// (a) A service starting then exits non-zero before it listens, with a line naming the secret and
// the field path, never the value. (b) The running services (refresh every second) keep serving
// the last good value: requests keep succeeding, the rejection shows (backend /readyz 503 naming
// the group, `estate_secrets_stale{group}` 1, `estate_secrets_refresh_total{outcome="rejected"}`,
// a log line naming the secret and the field path); a good version put back is picked up.
jest.setTimeout(150_000);

type Service = 'backend' | 'ai-worker';

interface SecretCase {
  name: string;
  group: string;
  /** The running services that read this group. */
  services: Service[];
  /** The malformed SecretString, built from the current value with random parts (no committed literal). */
  malformed(current: Record<string, unknown>): string;
  /** What the startup line says after `estate/dev/<group>`: the field path and error name. */
  startupLine: RegExp;
  /** The field paths the refresh's log line names. */
  fieldPaths: string[];
}

/** Every random part of a malformed value, searched for in every line and response at the end. */
const generated: string[] = [];
const random = () => {
  const value = randomBytes(12).toString('hex');
  generated.push(value);
  return value;
};

const CASES: SecretCase[] = [
  {
    name: 'not JSON (a truncated object)',
    group: 'database',
    services: ['backend', 'ai-worker'],
    malformed: (current) => JSON.stringify({ ...current, password: random() }).slice(0, -9),
    startupLine: /estate\/dev\/database: ParseError: SecretString is not valid JSON/,
    fieldPaths: ['(value)'],
  },
  {
    name: 'a field of the wrong type (port as text)',
    group: 'database',
    services: ['backend', 'ai-worker'],
    malformed: (current) => JSON.stringify({ ...current, port: `port-${random()}` }),
    startupLine: /estate\/dev\/database port: ValidationError: .*expected number/,
    fieldPaths: ['port'],
  },
  {
    name: 'a required field missing (the JWT key)',
    group: 'jwt',
    services: ['backend'],
    malformed: ({ secret: _secret, ...rest }) => JSON.stringify(rest),
    startupLine: /estate\/dev\/jwt secret: ValidationError: .*expected string, received undefined/,
    fieldPaths: ['secret'],
  },
  {
    name: 'an invalid URL (rabbitmq url)',
    group: 'rabbitmq',
    services: ['backend'],
    malformed: () => JSON.stringify({ url: `broker-${random()}:5672` }),
    startupLine:
      /estate\/dev\/rabbitmq url: ValidationError: must be amqp\[s\]:\/\/user:pass@host:port\/vhost/,
    fieldPaths: ['url'],
  },
  {
    name: 'an invalid URL (openai baseURL)',
    group: 'openai',
    services: ['ai-worker'],
    malformed: (current) => JSON.stringify({ ...current, baseURL: `ftp://127.0.0.1/${random()}` }),
    startupLine: /estate\/dev\/openai baseURL: ValidationError: must be an http\(s\) URL/,
    fieldPaths: ['baseURL'],
  },
];

const ENTRIES: Record<Service, string> = {
  backend: 'apps/backend/src/main.ts',
  'ai-worker': 'apps/ai-worker/src/main.ts',
};

let env: IsolatedStack;

beforeAll(async () => {
  env = await startIsolatedStack({ serviceEnvironment: { ESTATE_SECRETS_REFRESH_SECONDS: '1' } });
});

afterAll(() => env?.cleanup());

/** The `estate_secrets_*` series of one service: stale per group and rejected refreshes. */
async function secretsMetrics(url: string): Promise<{ stale: Record<string, number>; rejected: number }> {
  const text = (await capture(`${url}/metrics`)).text;
  const stale: Record<string, number> = {};
  for (const match of text.matchAll(/^estate_secrets_stale\{group="([^"]+)"\} (\d+)$/gm)) {
    stale[match[1]!] = Number(match[2]);
  }
  const rejected = /^estate_secrets_refresh_total\{outcome="rejected"\} (\d+)$/m.exec(text);
  return { stale, rejected: rejected ? Number(rejected[1]) : 0 };
}

/** Starts one more process of the service against the endpoint as it is now; its exit and lines. */
async function startOnce(service: Service): Promise<{ code: number; lines: string[] }> {
  const label = `${service}-startup`;
  const from = env.output.length;
  const child = spawnFromSource({
    root: `${__dirname}/../..`,
    service: label,
    entry: ENTRIES[service],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      ESTATE_ENV: 'dev',
      ...awsEnvironment(env.stack.secretsUrl, `local-${service}`),
      PORT: '0',
      HEALTH_PORT: '0',
    },
    output: (name, line) => env.output.push(`${name} | ${line}`),
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    const code = await exitOf(child);
    await sleep(50);
    return { code, lines: linesOf(env.output, label, from) };
  } finally {
    clearTimeout(timer);
  }
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(200);
    value = await read();
  }
  return value;
}

test.each(CASES)('a malformed $group secret: $name', async (secretCase) => {
  const { stack } = env;
  const serviceUrl = (service: Service) => (service === 'backend' ? stack.backendUrl : stack.aiWorkerUrl);
  const email = `secrets-${Date.now()}-${CASES.indexOf(secretCase)}@estate.test`;
  const { token } = await signUp(stack.backendUrl, email);

  const admin = adminClient(stack.secretsUrl);
  const name = `estate/dev/${secretCase.group}`;
  const good = (await admin.send(new GetSecretValueCommand({ SecretId: name }))).SecretString!;
  const rejectedBefore = Object.fromEntries(
    await Promise.all(
      secretCase.services.map(async (service) => [
        service,
        (await secretsMetrics(serviceUrl(service))).rejected,
      ]),
    ),
  ) as Record<Service, number>;
  const logFrom = env.output.length;

  // Clients keep calling while the malformed version is current and until the good one is back.
  let stop = false;
  let served = 0;
  const failures: string[] = [];
  const client = (async () => {
    while (!stop) {
      const answer = await api(stack.backendUrl, 'GET', '/api/v1/me', { token });
      if (answer.status === 200) served += 1;
      else failures.push(`${answer.status} ${JSON.stringify(answer.body)}`);
      await sleep(20);
    }
  })();

  let startups: Array<{ service: Service; code: number; lines: string[] }>;
  const seen: Record<string, { stale: number; readyz?: string }> = {};
  try {
    await admin.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: secretCase.malformed(JSON.parse(good)) }),
    );
    // (a) a process starting now refuses to, and (b) the running ones show the rejection.
    [startups] = await Promise.all([
      Promise.all(secretCase.services.map(async (service) => ({ service, ...(await startOnce(service)) }))),
      Promise.all(
        secretCase.services.map(async (service) => {
          const metrics = await waitFor(
            () => secretsMetrics(serviceUrl(service)),
            (m) => m.stale[secretCase.group] === 1 && m.rejected > rejectedBefore[service],
            15_000,
          );
          seen[service] = { stale: metrics.stale[secretCase.group] ?? 0 };
          if (service === 'backend') {
            const ready = await capture(`${stack.backendUrl}/readyz`);
            seen[service].readyz = `${ready.status} ${ready.text}`;
          }
        }),
      ),
    ]);
    // Still serving after a few more refresh rounds with the malformed version current.
    await sleep(1_500);
    await admin.send(new PutSecretValueCommand({ SecretId: name, SecretString: good }));
  } finally {
    admin.destroy();
  }
  const recovered = await Promise.all(
    secretCase.services.map(async (service) => {
      const ready = await waitFor(
        () => capture(`${serviceUrl(service)}/readyz`),
        (answer) => answer.status === 200,
        15_000,
      );
      const metrics = await secretsMetrics(serviceUrl(service));
      return [service, ready.status, metrics.stale[secretCase.group]];
    }),
  );
  stop = true;
  await client;
  // The token from before the malformed version still verifies once the good one is back.
  const after = await api(stack.backendUrl, 'GET', '/api/v1/me', { token });

  for (const { service, code, lines } of startups) {
    expect([service, code]).toEqual([service, 1]);
    expect({ service, lines }).toEqual({
      service,
      lines: expect.arrayContaining([expect.stringMatching(secretCase.startupLine)]),
    });
  }
  for (const service of secretCase.services) {
    expect([service, seen[service]?.stale]).toEqual([service, 1]);
  }
  if (secretCase.services.includes('backend')) {
    expect(seen.backend?.readyz).toMatch(
      new RegExp(`^503 .*"secrets":\\{"ok":false,"error":"stale: ${secretCase.group}"`),
    );
  }
  // The running services logged the rejection: secret name and field paths, nothing else of it.
  const logged = secretCase.services.map((service) =>
    linesOf(env.output, service, logFrom).some(
      (line) =>
        line.includes('refreshed secret rejected by its schema') &&
        line.includes(`"group":"${name}"`) &&
        line.includes(`"fieldPaths":${JSON.stringify(secretCase.fieldPaths)}`),
    ),
  );
  expect(logged).toEqual(secretCase.services.map(() => true));
  expect(recovered).toEqual(secretCase.services.map((service) => [service, 200, 0]));
  expect(failures).toEqual([]);
  expect([after.status, after.body]).toEqual([200, expect.anything()]);
  expect(served).toBeGreaterThan(10);
});

test('leak scan (case 4): no secret value, malformed ones included, in any line or response', async () => {
  const scan = await env.leakScan();
  const texts = [...env.output, ...capturedResponses];
  expect(generated.filter((value) => texts.some((text) => text.includes(value)))).toEqual([]);
  expect(generated.length).toBe(CASES.length - 1); // the jwt case removes a field, it adds none
  expect(scan.values).toBeGreaterThanOrEqual(8);
  expect(scan.leaks).toEqual([]);
});
