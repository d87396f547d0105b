/**
 * `pnpm bench`: every package's benchmark, one after the other (they share the machine, the
 * database and the ports, and parallel runs would skew each other's figures), then one report,
 * bench/REPORT.md, with what each bench printed (its tables, baselines beside the figures), how
 * long it took, and the machine. A failing bench is reported as failed and the others still run.
 * Benches print figures only; a failed one's last stderr lines are kept, so the report is scanned
 * by secretlint like every committed file. Everything after HAND_WRITTEN_MARKER in the old report
 * (figures recorded by hand, with their date, machine and baseline) is written back unchanged.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

interface Bench {
  /** Package folder, relative to the root. */
  dir: string;
  script: string;
  title: string;
}

const BENCHES: Bench[] = [
  {
    dir: 'packages/secrets',
    script: 'bench',
    title: '@estate/secrets: loadSecrets and reads vs GetSecretValue loop and Powertools',
  },
  {
    dir: 'packages/secrets-local',
    script: 'bench',
    title: '@estate/secrets-local: GetSecretValue and BatchGetSecretValue',
  },
  { dir: 'apps/backend', script: 'bench', title: '@estate/backend: authenticated GET throughput' },
  {
    dir: 'apps/backend',
    script: 'bench:logins',
    title: '@estate/backend: /me while 5 logins a second are checked (bcryptjs vs Argon2id)',
  },
  {
    dir: 'apps/backend',
    script: 'bench:rotation',
    title: '@estate/backend: reads while the database password and JWT key rotate',
  },
  {
    dir: 'apps/ai-worker',
    script: 'bench',
    title: '@estate/ai-worker: summary jobs per second by concurrency',
  },
  {
    dir: 'apps/etl',
    script: 'bench',
    title: '@estate/etl: 500,000 rows, batched upsert vs row-by-row INSERT',
  },
];

const STDERR_TAIL_LINES = 20;

const HAND_WRITTEN_MARKER = '<!-- figures recorded by hand: kept across runs -->';

/** The old report's hand-written part, marker included, or nothing. */
function handWritten(file: string): string[] {
  if (!existsSync(file)) return [];
  const old = readFileSync(file, 'utf8');
  const at = old.indexOf(HAND_WRITTEN_MARKER);
  return at === -1 ? [] : [old.slice(at).trimEnd(), ''];
}

interface Outcome {
  bench: Bench;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  stdout: string;
  stderr: string;
}

function run(root: string, bench: Bench): Promise<Outcome> {
  const startedAt = Date.now();
  return new Promise((done) => {
    const child = spawn('pnpm', ['--silent', 'run', bench.script], {
      cwd: join(root, bench.dir),
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) =>
      done({ bench, exitCode, signal, seconds: (Date.now() - startedAt) / 1000, stdout, stderr });
    child.on('error', (error) => {
      stderr += `${error.message}\n`;
      finish(null, null);
    });
    child.on('close', finish);
  });
}

function machine(): string[] {
  const cores = cpus();
  return [
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${cores[0]?.model.trim() ?? 'unknown'}, ${cores.length} cores`,
    `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, ${process.platform} ${process.arch}`,
  ];
}

function section(outcome: Outcome): string[] {
  const { bench, exitCode, signal, seconds } = outcome;
  const ok = exitCode === 0;
  const status = ok
    ? 'ok'
    : `**failed** (${signal ? `signal ${signal}` : `exit ${exitCode ?? 'not started'}`})`;
  const lines = [
    `## ${bench.title}`,
    '',
    `\`pnpm --filter ./${bench.dir} ${bench.script}\`: ${status}, ${seconds.toFixed(1)} s`,
    '',
    ...printed(outcome.stdout),
    '',
  ];
  if (!ok) {
    const tail = outcome.stderr.trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
    lines.push('Last lines of stderr:', '', '```text', tail || '(none)', '```', '');
  }
  return lines;
}

/** Markdown tables as printed; plain-text output (aligned columns) in a code block so it stays aligned. */
function printed(stdout: string): string[] {
  const text = stdout.trimEnd();
  if (!text) return ['(printed nothing)'];
  const isMarkdown = /^\|(\s*:?-{3,}:?\s*\|)+\s*$/m.test(text);
  return isMarkdown ? [text] : ['```text', text, '```'];
}

/** The repo's formatter aligns the tables, so the committed report passes `biome check`. */
function formatMarkdown(root: string, file: string): void {
  const formatted = spawnSync('pnpm', ['exec', 'biome', 'format', '--write', file], {
    cwd: root,
    encoding: 'utf8',
  });
  if (formatted.status !== 0) process.stderr.write(`biome format ${file} failed:\n${formatted.stderr}\n`);
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '..');
  const outcomes: Outcome[] = [];
  for (const bench of BENCHES) {
    process.stdout.write(`\n=== ${bench.dir} ${bench.script}\n`);
    outcomes.push(await run(root, bench));
  }
  const failed = outcomes.filter((outcome) => outcome.exitCode !== 0);
  const summary = outcomes.map(
    ({ bench, exitCode, seconds }) =>
      `| ${bench.dir} | ${bench.script} | ${exitCode === 0 ? 'ok' : 'failed'} | ${seconds.toFixed(1)} |`,
  );
  const out = join(root, 'bench', 'REPORT.md');
  const report = [
    '# Benchmark report',
    '',
    'Written by `pnpm bench` (`scripts/bench-report.ts`); each section is what that bench printed,',
    'its baselines beside its figures. Figures depend on the machine below.',
    '',
    ...machine(),
    '',
    '| package | script | result | seconds |',
    '| ------- | ------ | ------ | ------- |',
    ...summary,
    '',
    ...outcomes.flatMap(section),
    ...handWritten(out),
  ].join('\n');
  mkdirSync(join(root, 'bench'), { recursive: true });
  writeFileSync(out, report);
  formatMarkdown(root, out);
  process.stdout.write(`\nwrote ${out}: ${outcomes.length - failed.length} ok, ${failed.length} failed\n`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
