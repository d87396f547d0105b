import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  IncompletePeriodError,
  QuotaExceededError,
  SourceAuthError,
  SourceError,
  SourceUnavailableError,
} from '../../errors';
import type { MolitContext } from '../../sources/molit/parse';
import type { MolitDealPage } from './deal-page';
import type { PageReply, PageRequest } from './page-protocol';

const SOURCE_ERRORS = {
  SourceError,
  SourceAuthError,
  QuotaExceededError,
  IncompletePeriodError,
  SourceUnavailableError,
} as const;

/**
 * Parses, normalises and encodes MOLIT pages in a worker thread, so the job's main thread only
 * moves bytes (the response body is transferred to the worker, the COPY text back, neither copied).
 * The worker keeps each month's ordinals between its pages. Errors come back as the classes and
 * messages the parser threw. One worker serves every month in flight; it is started on the first
 * page and keeps the process alive only while a page is being read.
 */
export class MolitPageReader {
  private worker: Worker | undefined;
  private nextMonth = 1;
  private nextRequest = 1;
  private readonly pending = new Map<
    number,
    { resolve(page: MolitDealPage): void; reject(error: Error): void }
  >();

  /** A month whose pages follow, in order; its id for `read` and `closeMonth`. */
  openMonth(region: string, period: string): number {
    const month = this.nextMonth;
    this.nextMonth += 1;
    this.post({ type: 'open', month, region, period });
    return month;
  }

  read(month: number, status: number, body: ArrayBuffer, context: MolitContext): Promise<MolitDealPage> {
    const request = this.nextRequest;
    this.nextRequest += 1;
    const reply = new Promise<MolitDealPage>((resolve, reject) => {
      this.pending.set(request, { resolve, reject });
    });
    this.post({ type: 'page', month, request, status, body, context }, [body]);
    this.worker?.ref();
    return reply;
  }

  closeMonth(month: number): void {
    if (this.worker) this.post({ type: 'close', month });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private post(message: PageRequest, transfer: ArrayBuffer[] = []): void {
    this.started().postMessage(message, transfer);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const file = join(__dirname, `page-worker${extname(__filename)}`);
    const worker = file.endsWith('.ts')
      ? // The TypeScript source (dev, tests, bench): a worker does not take `--import tsx` from
        // execArgv, so it registers tsx's require hook itself.
        new Worker(
          `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(file)});`,
          { eval: true },
        )
      : new Worker(file);
    worker.unref();
    worker.on('message', (reply: PageReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`MOLIT page worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: PageReply): void {
    const waiting = this.pending.get(reply.request);
    if (!waiting) return;
    this.pending.delete(reply.request);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.page) waiting.resolve(reply.page);
    else waiting.reject(rebuild(reply.error));
  }

  /** The worker died: every page it held fails, and the next page starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = undefined;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

function rebuild(described: PageReply['error']): Error {
  if (!described) return new Error('MOLIT page worker answered nothing');
  const Class = SOURCE_ERRORS[described.name as keyof typeof SOURCE_ERRORS];
  if (Class && described.source) return new Class(described.message, described.source);
  const error = new Error(described.message);
  error.name = described.name;
  return error;
}
