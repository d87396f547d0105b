import type { FailureScope, SourceName } from '../../errors';
import type { MolitContext } from '../../sources/molit/parse';
import type { MolitDealPage } from './deal-page';

/** Messages to the page worker. A month is opened, its pages sent in order, then closed. */
export type PageRequest =
  | { type: 'open'; month: number; region: string; period: string }
  | { type: 'page'; month: number; request: number; status: number; body: ArrayBuffer; context: MolitContext }
  | { type: 'close'; month: number };

/** The worker's answer to one page: the page, or the error it raised, described to be rebuilt. */
export interface PageReply {
  request: number;
  page?: MolitDealPage;
  error?: {
    name: string;
    message: string;
    /** A SourceError's fields. */
    source?: {
      code: string;
      source: SourceName;
      sourceCode?: string;
      scope: FailureScope;
      retryable: boolean;
    };
  };
}
