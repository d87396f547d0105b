/**
 * `pnpm --filter @estate/secrets bench`: this package against a sequential GetSecretValue loop and
 * Powertools Parameters, on the local endpoint with 20 ms of latency on every call, 8 groups.
 * Prints a markdown table; asserts nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { defineSecrets, loadSecrets, secret } from '../src';
import { JwtSecret } from '../src/catalog';
import { DEFAULTS } from '../src/options';

const LATENCY_MS = 20;
const RUNS = 11;
const WARMUP_RUNS = 2;
const REGION = 'ap-northeast-2';
const credentials = { accessKeyId: 'local-admin', secretAccessKey: 'local' };
const Token = z.object({ token: z.string() });
const groups = ['jwt', 'database', 'redis', 'rabbitmq', 'ses', 'openai', 'kreb', 'molit'];
const names = groups.map((g) => `estate/dev/${g}`);
const manifest = defineSecrets({
  service: 'bench',
  secrets: {
    jwt: secret('jwt', JwtSecret),
    database: secret('database', Token),
    redis: secret('redis', Token),
    rabbitmq: secret('rabbitmq', Token),
    ses: secret('ses', Token),
    openai: secret('openai', Token),
    kreb: secret('kreb', Token),
    molit: secret('molit', Token),
  },
});

const key = () => randomBytes(36).toString('base64url');
/**
 * The endpoint runs in its own process, as AWS would be: its request handling and latency timers
 * do not share this process's event loop with the code being measured.
 */
interface Endpoint {
  url: string;
  resetStats(): Promise<void>;
  totalCalls(): Promise<number>;
  setLatency(ms: number | undefined): Promise<void>;
  stop(): void;
}

async function startEndpoint(): Promise<Endpoint> {
  const cli = join(__dirname, '../../secrets-local/src/cli.ts');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=estate-source', '--import', 'tsx', cli, '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const found = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (found) resolve(found[0]);
    });
    child.once('exit', (code) => reject(new Error(`estate-secrets-local exited (${code})`)));
  });
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
  return {
    url,
    resetStats: async () => void (await control('DELETE', '/__stats')),
    totalCalls: async () => ((await (await control('GET', '/__stats')).json()) as { total: number }).total,
    setLatency: async (ms) =>
      void (ms === undefined
        ? await control('DELETE', '/__faults')
        : await control('PUT', '/__faults', [{ kind: 'latency', latencyMs: ms }])),
    stop: () => child.kill('SIGTERM'),
  };
}

const client = (endpoint: Endpoint) =>
  new SecretsManagerClient({ endpoint: endpoint.url, region: REGION, credentials });

async function seed(endpoint: Endpoint): Promise<void> {
  const admin = client(endpoint);
  for (const [i, name] of names.entries()) {
    const value = i === 0 ? { secret: key(), issuer: 'estate-bench', expiresIn: '15m' } : { token: key() };
    await admin.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(value) }));
  }
  admin.destroy();
}

interface StartupResult {
  label: string;
  wallMs: number;
  calls: number;
}

async function measure(endpoint: Endpoint, label: string, run: () => Promise<void>): Promise<StartupResult> {
  for (let i = 0; i < WARMUP_RUNS; i += 1) await run(); // module loading and JIT, not startup cost
  const walls: number[] = [];
  let calls = 0;
  for (let i = 0; i < RUNS; i += 1) {
    await endpoint.resetStats();
    const started = performance.now();
    await run();
    walls.push(performance.now() - started);
    calls = await endpoint.totalCalls();
  }
  walls.sort((a, b) => a - b);
  return { label, wallMs: walls[Math.floor(RUNS / 2)] ?? 0, calls };
}

async function startup(endpoint: Endpoint): Promise<StartupResult[]> {
  const ours = () =>
    loadSecrets(manifest, {
      env: 'dev',
      refreshIntervalMs: 0,
      aws: { endpoint: endpoint.url, region: REGION, credentials },
    });
  return [
    // What any startup pays at least: a new client and one call.
    await measure(endpoint, 'one GetSecretValue with a new client (one round trip)', async () => {
      const c = client(endpoint);
      await c.send(new GetSecretValueCommand({ SecretId: names[0] }));
      c.destroy();
    }),
    await measure(endpoint, '@estate/secrets loadSecrets', async () => (await ours()).close()),
    await measure(endpoint, 'GetSecretValue loop, sequential', async () => {
      const c = client(endpoint);
      for (const name of names)
        JSON.parse((await c.send(new GetSecretValueCommand({ SecretId: name }))).SecretString ?? '');
      c.destroy();
    }),
    await measure(endpoint, 'Powertools getSecret per group, sequential', async () => {
      const provider = new SecretsProvider({ awsSdkV3Client: client(endpoint) });
      for (const name of names) await provider.get(name, { transform: 'json' });
    }),
    await measure(endpoint, 'Powertools getSecret per group, Promise.all', async () => {
      const provider = new SecretsProvider({ awsSdkV3Client: client(endpoint) });
      await Promise.all(names.map((name) => provider.get(name, { transform: 'json' })));
    }),
  ];
}

async function readThroughput(endpoint: Endpoint) {
  const secrets = await loadSecrets(manifest, {
    env: 'dev',
    refreshIntervalMs: 0,
    aws: { endpoint: endpoint.url, region: REGION, credentials },
  });
  const ourReads = 20_000_000;
  let sink = 0;
  for (let i = 0; i < 1_000_000; i += 1) sink += secrets.get('jwt').secret.length; // warm-up
  let started = performance.now();
  for (let i = 0; i < ourReads; i += 1) sink += secrets.get('jwt').secret.length;
  const oursPerSecond = ourReads / ((performance.now() - started) / 1000);
  secrets.close();

  const provider = new SecretsProvider({ awsSdkV3Client: client(endpoint) });
  const options = { transform: 'json' as const, maxAge: 3600 };
  const powertoolsReads = 2_000_000;
  for (let i = 0; i < 100_000; i += 1)
    sink += ((await provider.get(names[0] ?? '', options)) as { secret: string }).secret.length;
  started = performance.now();
  for (let i = 0; i < powertoolsReads; i += 1) {
    sink += ((await provider.get(names[0] ?? '', options)) as { secret: string }).secret.length;
  }
  const powertoolsPerSecond = powertoolsReads / ((performance.now() - started) / 1000);
  return { oursPerSecond, powertoolsPerSecond, ourReads, powertoolsReads, sink };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const endpoint = await startEndpoint();
  try {
    await seed(endpoint);
    await endpoint.setLatency(LATENCY_MS);
    const results = await startup(endpoint);
    await endpoint.setLatency(undefined);
    const floor = results[0]?.wallMs ?? LATENCY_MS;
    const reads = await readThroughput(endpoint);

    const ourPerHour = (3_600_000 / DEFAULTS.refreshIntervalMs) * Math.ceil(groups.length / 20);
    const powertoolsPerHour = (3_600 / 5) * groups.length;

    const out: string[] = [];
    out.push(`Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}`);
    out.push(
      `Local endpoint in its own process, ${LATENCY_MS} ms latency fault on every call, ${groups.length} groups, median of ${RUNS} runs after ${WARMUP_RUNS} warm-ups.\n`,
    );
    out.push('### Startup load\n');
    out.push(
      `| approach | wall time | wall / ${LATENCY_MS} ms latency | round trips (wall / one call with a new client) | API calls |`,
    );
    out.push('|---|---:|---:|---:|---:|');
    for (const r of results) {
      out.push(
        `| ${r.label} | ${r.wallMs.toFixed(1)} ms | ${(r.wallMs / LATENCY_MS).toFixed(2)} | ${(r.wallMs / floor).toFixed(2)} | ${r.calls} |`,
      );
    }
    out.push('\n### Cached reads (no latency fault)\n');
    out.push('| approach | reads per second | iterations |');
    out.push('|---|---:|---:|');
    out.push(`| \`secrets.get('jwt').secret\` | ${fmt(reads.oursPerSecond)} | ${fmt(reads.ourReads)} |`);
    out.push(
      `| Powertools \`await provider.get(name, { transform: 'json' })\` (cached) | ${fmt(reads.powertoolsPerSecond)} | ${fmt(reads.powertoolsReads)} |`,
    );
    out.push('\n### API calls per hour per process at steady state (computed)\n');
    out.push('| approach | calls per hour | how |');
    out.push('|---|---:|---|');
    out.push(
      `| @estate/secrets | ${fmt(ourPerHour)} | one BatchGetSecretValue per ${DEFAULTS.refreshIntervalMs / 60_000} min refresh (default interval) for up to 20 groups |`,
    );
    out.push(
      `| Powertools, default maxAge 5 s, a read every second | ${fmt(powertoolsPerHour)} | one GetSecretValue per group every 5 s: 720 x ${groups.length} groups |`,
    );
    console.log(out.join('\n'));
    if (reads.sink < 0) console.log(reads.sink);
  } finally {
    endpoint.stop();
  }
}

void main();
