import type { Period } from '@estate/contracts';
import type { Watermark } from '../db/watermarks';

export interface RunRequest {
  /** Months to load, oldest first. */
  periods: Period[];
  /** MOLIT LAWD codes. */
  regions: string[];
  /** R-ONE table ids. */
  tables: string[];
  /** Deals of this month and later are fetched again even when watermarked (late reports, cancellations). */
  refetchDealsFrom: Period;
}

export interface PeriodTask extends Watermark {
  /** Watermarked but fetched again (deals inside the lookback window). */
  refetch: boolean;
}

export interface Plan {
  tasks: PeriodTask[];
  /** Watermarked periods left alone. */
  alreadyLoaded: Watermark[];
}

/** Month by month, R-ONE tables then MOLIT regions, skipping what is watermarked. */
export function planRun(request: RunRequest, isCompleted: (mark: Watermark) => boolean): Plan {
  const plan: Plan = { tasks: [], alreadyLoaded: [] };
  for (const period of request.periods) {
    for (const table of request.tables) {
      const mark: Watermark = { source: 'rone', series: table, period };
      if (isCompleted(mark)) plan.alreadyLoaded.push(mark);
      else plan.tasks.push({ ...mark, refetch: false });
    }
    for (const region of request.regions) {
      const mark: Watermark = { source: 'molit', series: region, period };
      const done = isCompleted(mark);
      if (done && period < request.refetchDealsFrom) plan.alreadyLoaded.push(mark);
      else plan.tasks.push({ ...mark, refetch: done });
    }
  }
  return plan;
}
