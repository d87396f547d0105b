/**
 * GetSecretValue through the real AWS SDK v3 client against an in-process endpoint:
 * 1,000 sequential requests, then 200 BatchGetSecretValue calls of 8 secrets.
 * Prints figures only; nothing here asserts on timing.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { start } from '../src';

const REQUESTS = 1_000;
const BATCHES = 200;
const WARMUP = 50;

interface Figures {
  count: number;
  errors: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  perSecond: number;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

async function measure(count: number, call: () => Promise<unknown>): Promise<Figures> {
  for (let index = 0; index < WARMUP; index += 1) await call();
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    const before = performance.now();
    try {
      await call();
    } catch {
      errors += 1;
    }
    latencies.push(performance.now() - before);
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    count,
    errors,
    medianMs: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    perSecond: (count / elapsed) * 1000,
  };
}

function print(label: string, figures: Figures): void {
  const ms = (value: number) => value.toFixed(2);
  console.log(
    `${label}: count=${figures.count} errors=${figures.errors} median=${ms(figures.medianMs)}ms p95=${ms(figures.p95Ms)}ms p99=${ms(figures.p99Ms)}ms ${figures.perSecond.toFixed(0)} req/s`,
  );
}

async function main(): Promise<void> {
  const endpoint = await start({ port: 0, quiet: true });
  const client = new SecretsManagerClient({
    endpoint: endpoint.url,
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'local-bench', secretAccessKey: 'local' },
  });
  try {
    const names = Array.from({ length: 8 }, (_, index) => `estate/bench/group-${index}`);
    for (const name of names) {
      await client.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: JSON.stringify({ key: randomBytes(24).toString('hex') }),
        }),
      );
    }
    console.log(`node ${process.version}, ${cpus().length} cores, endpoint ${endpoint.url}`);

    const single = await measure(REQUESTS, () =>
      client.send(new GetSecretValueCommand({ SecretId: names[0] })),
    );
    print('GetSecretValue', single);
    const batch = await measure(BATCHES, async () => {
      const result = await client.send(new BatchGetSecretValueCommand({ SecretIdList: names }));
      if (result.SecretValues?.length !== names.length || (result.Errors?.length ?? 0) > 0) {
        throw new Error('incomplete batch');
      }
    });
    print('BatchGetSecretValue(8)', batch);

    if (single.errors > 0 || batch.errors > 0) {
      console.error('bench: some requests failed');
      process.exitCode = 1;
    }
  } finally {
    client.destroy();
    await endpoint.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
