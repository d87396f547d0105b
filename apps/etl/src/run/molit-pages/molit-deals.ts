import type { Period } from '@estate/contracts';
import type { MolitClient } from '../../sources/molit/client';
import type { DealPage } from './deal-page';
import { MolitPageReader } from './page-reader';

/**
 * A month's MOLIT deals as the loader takes them: the client fetches and pages, the page reader's
 * worker thread parses, normalises (ordinals across the month's pages) and turns them into COPY text.
 */
export class MolitDeals {
  constructor(
    private readonly client: MolitClient,
    private readonly reader = new MolitPageReader(),
  ) {}

  async *periodDeals(region: string, period: Period): AsyncGenerator<DealPage> {
    const month = this.reader.openMonth(region, period);
    try {
      yield* this.client.readPeriodPages(region, period, (status, body, context) =>
        this.reader.read(month, status, body, context),
      );
    } finally {
      this.reader.closeMonth(month);
    }
  }

  /** Stops the page reader's worker thread, if it was started. */
  close(): Promise<void> {
    return this.reader.close();
  }
}
