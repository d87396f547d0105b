import type { Database } from '@estate/platform';
import type { MarketSummaryOutput } from '../jobs/summary-output';

export interface StoredSummary {
  region: string;
  period: string;
  dataVersion: string;
  model: string;
  output: MarketSummaryOutput;
}

/**
 * Writes the summary once per (region, period, data version). A rerun, a retried attempt or a
 * stalled job finished by another worker finds the row and changes nothing: the first answer wins.
 * Resolves true when this call inserted the row.
 */
export async function insertSummary(db: Database, summary: StoredSummary): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO market_summaries (region, period, data_version, model, summary_ko, summary_en, content)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (region, period, data_version) DO NOTHING
     RETURNING 1`,
    [
      summary.region,
      summary.period,
      summary.dataVersion,
      summary.model,
      summary.output.summaryKo,
      summary.output.summaryEn,
      JSON.stringify(summary.output),
    ],
  );
  return rows.length === 1;
}

/** Whether the row already exists: a rerun of a finished job skips the OpenAI call. */
export async function summaryExists(
  db: Database,
  key: { region: string; period: string; dataVersion: string },
): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 FROM market_summaries WHERE region = $1 AND period = $2 AND data_version = $3',
    [key.region, key.period, key.dataVersion],
  );
  return rows.length === 1;
}
