import { setTimeout as sleep } from 'node:timers/promises';
import { SourceError, type SourceName, SourceUnavailableError } from '../errors';

export interface HttpSettings {
  userAgent: string;
  /** One request's limit; a hanging server counts as a dropped connection. */
  timeoutMs: number;
  /** Least time between the start of two requests to the same source (R-ONE drops back-to-back paging). */
  paceMs: number;
  /** Attempts per request, the first included, for dropped connections, 5xx and per-second limits. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_HTTP: HttpSettings = {
  userAgent: 'estate-etl/0.1 (+https://github.com/estate)',
  timeoutMs: 30_000,
  paceMs: 250,
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
};

/**
 * GETs text from one source with pacing and retries. The URL carries the key, so it is never put
 * in an error or a log line: failures are described by `what` (series, period, page).
 */
export class SourceHttp {
  private readonly pacer: Pacer;

  constructor(
    private readonly source: SourceName,
    private readonly settings: HttpSettings,
  ) {
    this.pacer = new Pacer(settings.paceMs);
  }

  /**
   * Fetches and interprets one response, retrying while `interpret` (or the transport) fails with
   * a retryable SourceError; capped exponential backoff with full jitter.
   */
  get<T>(url: URL, what: string, interpret: (status: number, body: string) => T | Promise<T>): Promise<T> {
    return this.request(url, what, (response) => response.text(), interpret);
  }

  /** `get` with the body as bytes: handed on (transferred) without being decoded here. */
  getBytes<T>(
    url: URL,
    what: string,
    interpret: (status: number, body: ArrayBuffer) => T | Promise<T>,
  ): Promise<T> {
    return this.request(url, what, (response) => response.arrayBuffer(), interpret);
  }

  private async request<B, T>(
    url: URL,
    what: string,
    read: (response: Response) => Promise<B>,
    interpret: (status: number, body: B) => T | Promise<T>,
  ): Promise<T> {
    let last: SourceError | undefined;
    for (let attempt = 0; attempt < this.settings.attempts; attempt += 1) {
      if (attempt > 0) {
        const cap = Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (attempt - 1));
        await sleep(Math.random() * cap);
      }
      try {
        const { status, body } = await this.fetchBody(url, what, read);
        return await interpret(status, body);
      } catch (error) {
        if (!(error instanceof SourceError) || !error.retryable) throw error;
        last = error;
      }
    }
    throw new SourceUnavailableError(
      `${what}: gave up after ${this.settings.attempts} attempts (${last?.message ?? 'unknown'})`,
      { code: 'source_unavailable', source: this.source, sourceCode: last?.sourceCode, scope: 'period' },
    );
  }

  private async fetchBody<B>(
    url: URL,
    what: string,
    read: (response: Response) => Promise<B>,
  ): Promise<{ status: number; body: B }> {
    await this.pacer.wait();
    let response: Response;
    let body: B;
    try {
      response = await fetch(url, {
        headers: {
          'user-agent': this.settings.userAgent,
          accept: 'application/json, application/xml, text/xml',
        },
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      body = await read(response);
    } catch (error) {
      // undici's "fetch failed" wraps ECONNRESET / UND_ERR_SOCKET; its cause never holds the URL's query.
      throw new SourceError(`${what}: connection failed (${transportReason(error)})`, {
        code: 'transport',
        source: this.source,
        scope: 'period',
        retryable: true,
      });
    }
    if (response.status >= 500 || response.status === 429) {
      throw new SourceError(`${what}: HTTP ${response.status}`, {
        code: 'http_status',
        source: this.source,
        scope: 'period',
        retryable: true,
      });
    }
    return { status: response.status, body };
  }
}

function transportReason(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  if (error.name === 'TimeoutError') return 'timeout';
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : error.name;
}

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const systemClock: PacerClock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

/**
 * Start slots at least `paceMs` apart for every caller, whichever period asks: one per source, so
 * periods loaded at once share the source's pace. A slot is taken when asked for, so callers go
 * in the order they asked.
 */
export class Pacer {
  private nextStart = 0;

  constructor(
    private readonly paceMs: number,
    private readonly clock: PacerClock = systemClock,
  ) {}

  /** Resolves at this caller's slot: now when the source is free, else pace after the slot before. */
  async wait(): Promise<void> {
    const now = this.clock.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.paceMs;
    if (start > now) await this.clock.sleep(start - now);
  }
}
