// `pnpm --filter @estate/etl bench:pg`: PostgreSQL alone, with the job's own statements. The same
// 500,000 synthetic deals as `bench` are fetched from nowhere: they are parsed and normalised
// before the clock starts (about 200 MB held, unlike the job), then written as the job writes
// them (DealWriter: COPY into the stage, merge, one transaction per region-month with its
// watermark). What this reaches is the ceiling of the bulk path on this machine, job CPU aside.

import { readFileSync } from 'node:fs';
import { migrate } from '@estate/db';
import { usePostgres } from '@estate/testing';
import { Pool } from 'pg';
import { molitResponse } from '../dev/stand-in/molit';
import { DealWriter } from '../src/db/deal-store';
import { recordWatermark } from '../src/db/watermarks';
import { type DealRecord, normaliseDeal, Ordinals } from '../src/normalise/deal';
import { parseMolitResponse } from '../src/sources/molit/parse';

const PER_PERIOD = 10_000;
const PAGE = 1000;
const REGIONS = Array.from({ length: 10 }, (_, index) => String(90_001 + index));
const PERIODS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'];

async function main(): Promise<void> {
  const periods = PERIODS.flatMap((period) => REGIONS.map((region) => ({ region, period })));
  const pages = periods.map(({ region, period }) => periodPages(region, period));
  const postgres = await usePostgres();
  const pool = new Pool({ connectionString: postgres.connectionString, max: 2 });
  try {
    await migrate(pool);
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = rows[0]!.pid;
    const cpuBefore = processCpu(backend);
    const start = performance.now();
    let written = 0;
    for (const [index, { region, period }] of periods.entries()) {
      await client.query('BEGIN');
      const writer = new DealWriter(client, 'bench');
      for (const deals of pages[index]!) written += (await writer.upsert(deals)).inserted;
      await recordWatermark(client, { source: 'molit', series: region, period }, 'bench', PER_PERIOD);
      await client.query('COMMIT');
    }
    const seconds = (performance.now() - start) / 1000;
    const backendUs = ((processCpu(backend) - cpuBefore) * 1e6) / written;
    client.release();
    process.stdout.write(
      `PostgreSQL only: ${written} deals in ${seconds.toFixed(1)} s = ${fmt(written / seconds)} rows/s; ` +
        `the backend's CPU ${backendUs.toFixed(1)} us a deal; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.\n`,
    );
  } finally {
    await pool.end();
    await postgres.cleanup();
  }
}

/** One region-month as the job would have it: pages of DealRecords with their ordinals. */
function periodPages(region: string, period: string): DealRecord[][] {
  const ordinals = new Ordinals();
  const pages: DealRecord[][] = [];
  for (let pageNo = 1; pageNo <= PER_PERIOD / PAGE; pageNo += 1) {
    const query = new URLSearchParams({
      serviceKey: 'bench',
      LAWD_CD: region,
      DEAL_YMD: period.replace('-', ''),
      pageNo: String(pageNo),
      numOfRows: String(PAGE),
    });
    const body = molitResponse('', new Map(), { perPeriod: PER_PERIOD }, query, { short: false });
    const page = parseMolitResponse(200, body.toString(), { what: 'bench', secretName: 'bench' });
    if (page.kind !== 'items') throw new Error('the stand-in served no deals');
    pages.push(
      page.items.map((item) => {
        const deal = normaliseDeal(item, region);
        return { ...deal, ordinal: ordinals.next(deal.dealKey) };
      }),
    );
  }
  return pages;
}

function processCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
