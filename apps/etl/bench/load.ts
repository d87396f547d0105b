// `pnpm --filter @estate/etl bench [-- --parallel N]`: 500,000 synthetic deals from the local
// stand-in through the job's load path (`loadPeriods`, as `estate-etl run`: N periods at once, each
// client -> parse -> normalise -> per page COPY into the stage and one merge, the next page read
// ahead, one transaction per region-month with its watermark), beside two row-by-row INSERT
// baselines over the same client in the same run (one transaction per month; autocommit).
// Prints the CPU each process spent.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from '@estate/db';
import { usePostgres } from '@estate/testing';
import { Pool, type PoolClient } from 'pg';
import { type DealRecord, normaliseDeal, Ordinals } from '../src/normalise/deal';
import type { Sources } from '../src/run/load-period';
import { DEFAULT_PARALLEL, loadPeriods } from '../src/run/load-periods';
import { MolitDeals } from '../src/run/molit-pages/molit-deals';
import type { PeriodTask } from '../src/run/plan';
import { DEFAULT_HTTP, SourceHttp } from '../src/sources/http';
import { MolitClient } from '../src/sources/molit/client';

const PER_PERIOD = 10_000;
const REGIONS = Array.from({ length: 10 }, (_, index) => String(90_001 + index));
const PERIODS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'];
// The autocommit baseline waits for a WAL flush per row: measured on fewer rows, extrapolated.
const AUTOCOMMIT_ROWS = 5_000;
/** `bench -- --parallel N`: periods loaded at once, as `estate-etl run --parallel N`. */
const PARALLEL = parallelArg(process.argv.slice(2));

const UPSERT_ONE = `
  INSERT INTO apartment_deals AS t (deal_key, ordinal, lawd_cd, umd_cd, umd_nm, jibun, apt_seq, apt_nm, apt_dong,
    build_year, deal_date, deal_amount, exclu_use_ar, floor, dealing_gbn, cancelled, cancel_date, rgst_date, data_version)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
  ON CONFLICT (lawd_cd, deal_date, deal_key, ordinal) DO UPDATE SET cancelled = excluded.cancelled, cancel_date = excluded.cancel_date,
    rgst_date = excluded.rgst_date, data_version = excluded.data_version, updated_at = now()
  WHERE (t.cancelled, t.cancel_date, t.rgst_date) IS DISTINCT FROM (excluded.cancelled, excluded.cancel_date, excluded.rgst_date)`;

async function main(): Promise<void> {
  const postgres = await usePostgres();
  const standIn = await startStandInProcess();
  const pool = new Pool({ connectionString: postgres.connectionString, max: PARALLEL + 2 });
  const molit = new MolitClient({
    serviceKey: 'bench-key',
    baseURL: `${standIn.url}/molit`,
    secretName: 'estate/dev/molit',
    http: new SourceHttp('molit', { ...DEFAULT_HTTP, paceMs: 0 }),
  });
  const deals = new MolitDeals(molit);
  try {
    await migrate(pool);
    const sources: Sources = { molit: deals, rone: { periodPages: async function* () {} } };

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);

    const tasks: PeriodTask[] = PERIODS.flatMap((period) =>
      REGIONS.map((region) => ({ source: 'molit' as const, series: region, period, refetch: false })),
    );
    const identity = { runId: 'bench', dataVersion: 'bench' };
    const deps = { pool, sources, logger: { info() {}, error() {} } };
    const cpuBefore = await cpuSeconds(pool, standIn.pid);
    const bulkStart = performance.now();
    const loaded = await loadPeriods(deps, tasks, identity, PARALLEL);
    const bulkSeconds = (performance.now() - bulkStart) / 1000;
    const cpuAfter = await cpuSeconds(pool, standIn.pid);
    const failed = loaded.outcomes.find((outcome) => outcome.status !== 'loaded');
    if (failed) throw new Error(`bench period not loaded: ${failed.reason}`);
    const bulkRows = loaded.outcomes.reduce((sum, o) => sum + o.counts.inserted, 0);
    const rerunStart = performance.now();
    await loadPeriods(deps, tasks.slice(0, 1), identity, 1);
    const rerunSeconds = (performance.now() - rerunStart) / 1000;
    clearInterval(sampler);
    const bulkPeakRss = peakRss;

    await pool.query('TRUNCATE apartment_deals, etl_watermarks');
    const client = await pool.connect();
    const baselineStart = performance.now();
    const baselineRows = await rowByRow(client, molit, REGIONS[0]!, PERIODS[0]!, { transaction: true });
    const baselineSeconds = (performance.now() - baselineStart) / 1000;
    const autocommitStart = performance.now();
    const autocommitRows = await rowByRow(client, molit, REGIONS[1]!, PERIODS[0]!, {
      transaction: false,
      limit: AUTOCOMMIT_ROWS,
    });
    const autocommitSeconds = (performance.now() - autocommitStart) / 1000;
    client.release();

    const bulkRate = bulkRows / bulkSeconds;
    const baselineRate = baselineRows / baselineSeconds;
    const autocommitRate = autocommitRows / autocommitSeconds;
    const rows = [
      ['path', 'rows', 'seconds', 'rows/s', 'peak RSS'],
      [
        `bulk (COPY + merge per page, read ahead, ${PARALLEL} periods at once)`,
        String(bulkRows),
        bulkSeconds.toFixed(1),
        fmt(bulkRate),
        `${(bulkPeakRss / 2 ** 20).toFixed(0)} MB`,
      ],
      [
        'A: row-by-row INSERT, one transaction per month (measured)',
        String(baselineRows),
        baselineSeconds.toFixed(1),
        fmt(baselineRate),
        '',
      ],
      [
        'A: row-by-row INSERT, one transaction per month (extrapolated)',
        String(bulkRows),
        (bulkRows / baselineRate).toFixed(1),
        fmt(baselineRate),
        '',
      ],
      [
        'B: row-by-row INSERT, autocommit (measured)',
        String(autocommitRows),
        autocommitSeconds.toFixed(1),
        fmt(autocommitRate),
        '',
      ],
      [
        'B: row-by-row INSERT, autocommit (extrapolated)',
        String(bulkRows),
        (bulkRows / autocommitRate).toFixed(1),
        fmt(autocommitRate),
        '',
      ],
      [
        'rerun of one region-month (unchanged)',
        String(PER_PERIOD),
        rerunSeconds.toFixed(2),
        fmt(PER_PERIOD / rerunSeconds),
        '',
      ],
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const row of rows)
      process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}\n`);
    process.stdout.write(
      `\nbulk ${fmt(bulkRate)} rows/s (target 50,000); bulk / A (one transaction per month): ${(bulkRate / baselineRate).toFixed(1)}x, ` +
        `bulk / B (autocommit): ${(bulkRate / autocommitRate).toFixed(1)}x (target 20x); peak RSS ${(bulkPeakRss / 2 ** 20).toFixed(0)} MB (target 300 MB).\n` +
        'All paths include fetching and parsing the XML from the stand-in (its own process);\n' +
        `peak RSS is the job's process during the bulk load, sampled every 50 ms. ${REGIONS.length} regions x ${PERIODS.length} months x ${PER_PERIOD} deals, 1000 per page.\n` +
        `A is measured on ${PER_PERIOD} rows (one region-month, one transaction), B on ${AUTOCOMMIT_ROWS} (one statement, one commit, each); both extrapolated to ${bulkRows}.\n`,
    );
    const perRow = (key: keyof CpuSeconds) =>
      `${key} ${(((cpuAfter[key] - cpuBefore[key]) * 1e6) / bulkRows).toFixed(1)}`;
    process.stdout.write(
      `CPU during the bulk load, us per row: ${perRow('job')} (${perRow('jobMain')}), ${perRow('standIn')}, ${perRow('postgres')} ` +
        `(the database's backends and its writer processes); ${((bulkSeconds * 2e6) / bulkRows).toFixed(0)} us of the 2 cores' time per row, load average ${loadAverage()}.\n`,
    );
  } finally {
    await deals.close();
    await pool.end();
    standIn.stop();
    await postgres.cleanup();
  }
}

/**
 * A baseline: the same fetch and normalisation, then one INSERT .. ON CONFLICT per deal, either all
 * in one transaction per region-month or each in its own (autocommit, as a naive loader does).
 */
async function rowByRow(
  client: PoolClient,
  molit: MolitClient,
  region: string,
  period: string,
  options: { transaction: boolean; limit?: number },
): Promise<number> {
  let rows = 0;
  const ordinals = new Ordinals();
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (options.transaction) await client.query('BEGIN');
  pages: for await (const items of molit.periodPages(region, period)) {
    for (const item of items) {
      if (rows >= limit) break pages;
      const deal = normaliseDeal(item, region);
      const record: DealRecord = { ...deal, ordinal: ordinals.next(deal.dealKey) };
      await client.query(UPSERT_ONE, [
        record.dealKey,
        record.ordinal,
        record.lawdCd,
        record.umdCd,
        record.umdNm,
        record.jibun,
        record.aptSeq,
        record.aptNm,
        record.aptDong,
        record.buildYear,
        record.dealDate,
        record.dealAmount,
        record.excluUseAr,
        record.floor,
        record.dealingGbn,
        record.cancelled,
        record.cancelDate,
        record.rgstDate,
        'bench',
      ]);
      rows += 1;
    }
  }
  if (options.transaction) await client.query('COMMIT');
  return rows;
}

function parallelArg(argv: string[]): number {
  const index = argv.indexOf('--parallel');
  if (index < 0) return DEFAULT_PARALLEL;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 8) throw new Error('--parallel takes 1 to 8');
  return value;
}

/** The stand-in in its own process, as the real API would be: its XML generation is not measured here. */
async function startStandInProcess(): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=estate-source',
      '--import',
      'tsx',
      'dev/stand-in/main.ts',
      '0',
      '--synthetic',
      String(PER_PERIOD),
    ],
    { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const match = /on (http:\/\/[\d.:]+)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', () => reject(new Error('stand-in exited')));
  });
  return { url, pid: child.pid ?? 0, stop: () => child.kill() };
}

interface CpuSeconds {
  job: number;
  /** The job's main thread alone (its JavaScript, the sockets); the rest of `job` is its worker and Node's threads. */
  jobMain: number;
  standIn: number;
  postgres: number;
}

/** User + system CPU seconds of this process, the stand-in, and PostgreSQL's processes serving the bench. */
async function cpuSeconds(pool: Pool, standInPid: number): Promise<CpuSeconds> {
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
     WHERE datname = current_database() OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`,
  );
  const usage = process.cpuUsage();
  return {
    job: (usage.user + usage.system) / 1e6,
    jobMain: processCpu(process.pid, `/proc/self/task/${process.pid}/stat`),
    standIn: processCpu(standInPid),
    postgres: rows.reduce((sum, row) => sum + processCpu(row.pid), 0),
  };
}

/** utime + stime from /proc (Linux), in seconds; 0 where it cannot be read. */
function processCpu(pid: number, path = `/proc/${pid}/stat`): number {
  try {
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
