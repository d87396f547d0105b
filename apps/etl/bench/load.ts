// `pnpm --filter @estate/etl bench`: 500,000 synthetic deals from the local stand-in through the
// job's load path (client -> parse -> normalise -> per page COPY into the stage and one merge, the
// next page read ahead, one transaction per region-month with its watermark), beside a row-by-row
// INSERT baseline over the same client, in the same run. Prints the CPU each process spent.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from '@estate/db';
import { usePostgres } from '@estate/testing';
import { Pool, type PoolClient } from 'pg';
import { type DealRecord, normaliseDeal, Ordinals } from '../src/normalise/deal';
import { loadPeriod, type Sources } from '../src/run/load-period';
import { DEFAULT_HTTP, SourceHttp } from '../src/sources/http';
import { MolitClient } from '../src/sources/molit/client';

const PER_PERIOD = 10_000;
const REGIONS = Array.from({ length: 10 }, (_, index) => String(90_001 + index));
const PERIODS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'];
const BASELINE_ROWS = PER_PERIOD; // one region-month, extrapolated to the full set

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
  const pool = new Pool({ connectionString: postgres.connectionString, max: 2 });
  try {
    await migrate(pool);
    const molit = new MolitClient({
      serviceKey: 'bench-key',
      baseURL: `${standIn.url}/molit`,
      secretName: 'estate/dev/molit',
      http: new SourceHttp('molit', { ...DEFAULT_HTTP, paceMs: 0 }),
    });
    const sources: Sources = { molit, rone: { periodPages: async function* () {} } };

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);

    const cpuBefore = await cpuSeconds(pool, standIn.pid);
    const bulkStart = performance.now();
    let bulkRows = 0;
    for (const period of PERIODS) {
      for (const region of REGIONS) {
        const load = await loadPeriod(
          pool,
          sources,
          { source: 'molit', series: region, period },
          {
            runId: 'bench',
            dataVersion: 'bench',
          },
        );
        if (load.kind === 'loaded') bulkRows += load.rows;
      }
    }
    const bulkSeconds = (performance.now() - bulkStart) / 1000;
    const cpuAfter = await cpuSeconds(pool, standIn.pid);
    const rerunStart = performance.now();
    await loadPeriod(
      pool,
      sources,
      { source: 'molit', series: REGIONS[0]!, period: PERIODS[0]! },
      {
        runId: 'bench',
        dataVersion: 'bench',
      },
    );
    const rerunSeconds = (performance.now() - rerunStart) / 1000;
    clearInterval(sampler);
    const bulkPeakRss = peakRss;

    await pool.query('TRUNCATE apartment_deals, etl_watermarks');
    const client = await pool.connect();
    const baselineStart = performance.now();
    const baselineRows = await rowByRow(client, molit, REGIONS[0]!, PERIODS[0]!);
    const baselineSeconds = (performance.now() - baselineStart) / 1000;
    client.release();

    const bulkRate = bulkRows / bulkSeconds;
    const baselineRate = baselineRows / baselineSeconds;
    const rows = [
      ['path', 'rows', 'seconds', 'rows/s', 'peak RSS'],
      [
        'bulk (COPY + merge per page, read ahead)',
        String(bulkRows),
        bulkSeconds.toFixed(1),
        fmt(bulkRate),
        `${(bulkPeakRss / 2 ** 20).toFixed(0)} MB`,
      ],
      [
        'row-by-row INSERT (measured)',
        String(baselineRows),
        baselineSeconds.toFixed(1),
        fmt(baselineRate),
        '',
      ],
      [
        'row-by-row INSERT (extrapolated)',
        String(bulkRows),
        (bulkRows / baselineRate).toFixed(1),
        fmt(baselineRate),
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
      `\nbulk / row-by-row: ${(bulkRate / baselineRate).toFixed(1)}x (target 20x); bulk ${fmt(bulkRate)} rows/s (target 50,000); peak RSS ${(bulkPeakRss / 2 ** 20).toFixed(0)} MB (target 300 MB).\nBoth include fetching and parsing the XML from the stand-in (its own process);\n` +
        `peak RSS is the job's process during the bulk load, sampled every 50 ms. ${REGIONS.length} regions x ${PERIODS.length} months x ${PER_PERIOD} deals, 1000 per page.\n` +
        `The baseline is measured on ${BASELINE_ROWS} rows (one region-month, one transaction) and extrapolated to ${bulkRows}.\n`,
    );
    const perRow = (key: keyof CpuSeconds) =>
      `${key} ${(((cpuAfter[key] - cpuBefore[key]) * 1e6) / bulkRows).toFixed(1)}`;
    process.stdout.write(
      `CPU during the bulk load, us per row: ${perRow('job')}, ${perRow('standIn')}, ${perRow('postgres')} ` +
        `(the database's backends and its writer processes); ${((bulkSeconds * 2e6) / bulkRows).toFixed(0)} us of the 2 cores' time per row, load average ${loadAverage()}.\n`,
    );
  } finally {
    await pool.end();
    standIn.stop();
    await postgres.cleanup();
  }
}

/** The baseline: the same fetch and normalisation, then one INSERT .. ON CONFLICT per deal. */
async function rowByRow(
  client: PoolClient,
  molit: MolitClient,
  region: string,
  period: string,
): Promise<number> {
  let rows = 0;
  const ordinals = new Ordinals();
  await client.query('BEGIN');
  for await (const items of molit.periodPages(region, period)) {
    for (const item of items) {
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
  await client.query('COMMIT');
  return rows;
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
    standIn: processCpu(standInPid),
    postgres: rows.reduce((sum, row) => sum + processCpu(row.pid), 0),
  };
}

/** utime + stime from /proc (Linux), in seconds; 0 where it cannot be read. */
function processCpu(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
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
