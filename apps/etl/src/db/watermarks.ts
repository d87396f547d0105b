import type { ClientBase, Pool } from 'pg';
import type { SourceName } from '../errors';

export interface Watermark {
  source: SourceName;
  /** R-ONE table id or MOLIT region code. */
  series: string;
  /** YYYY-MM */
  period: string;
}

const keyOf = (mark: Watermark) => `${mark.source}\u001f${mark.series}\u001f${mark.period}`;

/** The completed (source, series, period) triples, read once when a run plans its work. */
export class CompletedPeriods {
  private constructor(private readonly keys: Set<string>) {}

  static async read(pool: Pool): Promise<CompletedPeriods> {
    const { rows } = await pool.query<Watermark>('SELECT source, series, period FROM etl_watermarks');
    return new CompletedPeriods(new Set(rows.map(keyOf)));
  }

  has(mark: Watermark): boolean {
    return this.keys.has(keyOf(mark));
  }
}

/** Written in the period's own transaction, so the data and its watermark commit together. */
export async function recordWatermark(
  client: ClientBase,
  mark: Watermark,
  runId: string,
  rowCount: number,
): Promise<void> {
  await client.query(
    `INSERT INTO etl_watermarks (source, series, period, run_id, row_count) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (source, series, period) DO UPDATE
       SET run_id = excluded.run_id, row_count = excluded.row_count, completed_at = now()`,
    [mark.source, mark.series, mark.period, runId, rowCount],
  );
}
