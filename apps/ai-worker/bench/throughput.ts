import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { ENV, WorkerTestEnvironment } from '../test/support/environment';

/**
 * Jobs per second of one worker at concurrency 1, 4 and 16 while the OpenAI stand-in answers
 * after 200 ms, beside the ideal (concurrency / 0.2 s). Real PostgreSQL, Redis and local secrets
 * endpoint, as in the tests; every job reads statistics and writes its row.
 */
const ANSWER_DELAY_MS = 200;
const LEVELS = [1, 4, 16];
/** Each level runs for about this many ideal seconds, so every level sees the same wall time. */
const IDEAL_SECONDS = 5;

async function setParameter(env: WorkerTestEnvironment, name: string, value: string): Promise<void> {
  await env.adminClients().ssm.send(
    new PutParameterCommand({
      Name: `/estate/${ENV}/config/${name}`,
      Value: value,
      Type: 'String',
      Overwrite: true,
    }),
  );
}

async function run(env: WorkerTestEnvironment, concurrency: number, jobs: number, label: string) {
  await setParameter(env, 'worker_concurrency', String(concurrency));
  const worker = await env.startWorker();
  const queue = env.queue({ attempts: 1 });
  let completed = 0;
  let failed = 0;
  const done = new Promise<void>((resolve) => {
    const settle = () => {
      if (completed + failed === jobs) resolve();
    };
    worker.summaries.worker.on('completed', () => {
      completed += 1;
      settle();
    });
    worker.summaries.worker.on('failed', () => {
      failed += 1;
      settle();
    });
  });
  const started = performance.now();
  await queue.addBulk(
    Array.from({ length: jobs }, (_, index) => ({
      name: 'summarize',
      data: { region: '11680', period: '2024-03', dataVersion: `${label}-${concurrency}-${index}` },
    })),
  );
  await done;
  const seconds = (performance.now() - started) / 1_000;
  await worker.close();
  await queue.obliterate({ force: true });
  if (failed > 0) throw new Error(`${failed} of ${jobs} jobs failed at concurrency ${concurrency}`);
  return seconds;
}

async function main(): Promise<void> {
  const env = await WorkerTestEnvironment.start();
  try {
    env.standIn.configure({ delayMs: ANSWER_DELAY_MS });
    // The calls-per-minute limiter would cap the run; this measures the worker, not the limit.
    await setParameter(env, 'openai_calls_per_minute', '1000000');
    await env.seedDeals('11680', '2024-03', [40, 35, 30, 30, 25, 20], { cancelled: 3 });
    await run(env, 4, 8, 'warm-up');

    const rows: string[][] = [];
    for (const concurrency of LEVELS) {
      const ideal = concurrency / (ANSWER_DELAY_MS / 1_000);
      const jobs = Math.round(ideal * IDEAL_SECONDS);
      const seconds = await run(env, concurrency, jobs, 'bench');
      const measured = jobs / seconds;
      rows.push([
        String(concurrency),
        String(jobs),
        seconds.toFixed(2),
        measured.toFixed(2),
        ideal.toFixed(2),
        `${((measured / ideal) * 100).toFixed(1)}%`,
      ]);
    }
    const header = ['concurrency', 'jobs', 'seconds', 'jobs/s', 'ideal jobs/s (c / 0.2 s)', 'of ideal'];
    const widths = header.map((title, column) =>
      Math.max(title.length, ...rows.map((row) => row[column]!.length)),
    );
    const line = (cells: string[]) =>
      `| ${cells.map((cell, column) => cell.padStart(widths[column]!)).join(' | ')} |`;
    process.stdout.write(`OpenAI stand-in answering after ${ANSWER_DELAY_MS} ms; one worker process\n\n`);
    process.stdout.write(
      `${line(header)}\n|${widths.map((width) => `${'-'.repeat(width + 1)}:`).join('|')}|\n`,
    );
    for (const row of rows) process.stdout.write(`${line(row)}\n`);
  } finally {
    await env.cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
