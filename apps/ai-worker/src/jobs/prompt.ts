import type { MarketSummaryJob } from '@estate/contracts';
import type { MonthlyStatistics } from '../db/market-statistics';
import { formatKrw, formatKrwPlain } from '../format/krw';

export interface SummaryPrompt {
  system: string;
  user: string;
}

const SYSTEM = [
  'You are a Korean real-estate market analyst writing short summaries of apartment sales for a region.',
  'Use only the statistics given. Do not invent numbers.',
  'Answer with one JSON object and nothing else, with exactly these fields:',
  '  "summaryKo": 2 to 4 sentences in Korean; prices in 억/만원 as given (e.g. 12억 3,450만원),',
  '  "summaryEn": the same summary in English; prices in KRW as given,',
  '  "trend": one of "up", "down", "flat", "mixed" (the median price per m² over the months shown),',
  '  "highlights": up to 5 short strings in Korean.',
].join('\n');

function monthView(month: MonthlyStatistics) {
  const priced = (amount: number | null) =>
    amount === null ? null : { krw: amount, ko: formatKrw(amount), en: formatKrwPlain(amount) };
  return {
    period: month.period,
    deals: month.deals,
    cancellations: month.cancellations,
    medianPricePerM2: priced(month.medianPricePerM2),
    medianDealAmount: priced(month.medianDealAmount),
  };
}

/**
 * The chat prompt for one job. The statistics travel as one JSON block (oldest month first, the
 * job's period last) with each price as a number and in both spellings, so the model copies the
 * formatting rather than doing arithmetic.
 */
export function buildSummaryPrompt(
  job: MarketSummaryJob,
  months: readonly MonthlyStatistics[],
): SummaryPrompt {
  const statistics = {
    region: job.region,
    period: job.period,
    dataVersion: job.dataVersion,
    months: months.map(monthView),
  };
  const user = [
    `Summarise the apartment market of region ${job.region} (LAWD_CD) for ${job.period}, compared with the months before it.`,
    'Statistics (prices: KRW; per m² of exclusive-use area; cancelled deals excluded from prices and deal counts):',
    '```json',
    JSON.stringify(statistics, null, 2),
    '```',
  ].join('\n');
  return { system: SYSTEM, user };
}
