import { MarketSummaryJob } from '@estate/contracts';
import type { Database } from '@estate/platform';
import { UnrecoverableError } from 'bullmq';
import { readMonthlyStatistics } from '../db/market-statistics';
import { insertSummary, summaryExists } from '../db/market-summaries';
import { NoMarketDataError } from '../errors';
import type { SummaryModel } from '../openai/summary-model';
import { buildSummaryPrompt } from './prompt';
import { parseModelOutput } from './summary-output';

export interface MarketSummaryDeps {
  db: Database;
  model: SummaryModel;
  /** The model name, read per job so an SSM change applies at the next refresh. */
  modelName: () => string;
}

/** The job's return value, as the backend shows it under `result`. */
export interface MarketSummaryResult {
  /** False when the row already existed (a rerun, or another worker got there first). */
  written: boolean;
  model: string | null;
}

/**
 * One `market-summary` job: the region's monthly statistics from PostgreSQL, one chat completion,
 * the validated answer stored once per (region, period, data version).
 */
export async function summarizeMarket(
  payload: unknown,
  deps: MarketSummaryDeps,
): Promise<MarketSummaryResult> {
  const parsed = MarketSummaryJob.safeParse(payload);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new UnrecoverableError(`invalid market-summary payload: ${fields.join('; ')}`);
  }
  const job = parsed.data;
  if (await summaryExists(deps.db, job)) return { written: false, model: null };

  const months = await readMonthlyStatistics(deps.db, job.region, job.period);
  if (!months.some((month) => month.period === job.period))
    throw new NoMarketDataError(job.region, job.period);

  const model = deps.modelName();
  const content = await deps.model.complete(buildSummaryPrompt(job, months), model);
  const output = parseModelOutput(content);
  const written = await insertSummary(deps.db, { ...job, model, output });
  return { written, model };
}
