import { backoffDelay } from '../retry';

export interface SchedulerOptions {
  intervalMs: number;
  /** Runs one round; resolves true when every read succeeded. */
  run(): Promise<boolean>;
  random?: () => number;
}

/**
 * The background refresh timer: the interval with ±10% jitter (so a fleet does not call at once),
 * and after a failed round a capped exponential backoff with full jitter, up to the interval, so
 * an outage ends as soon as it can be noticed. The timer is unref'ed: it never keeps a process up.
 */
export class RefreshScheduler {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    if (this.options.intervalMs > 0) this.schedule(this.nextDelay());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  nextDelay(): number {
    const random = this.options.random ?? Math.random;
    const interval = this.options.intervalMs;
    if (this.failures === 0) return Math.round(interval * (0.9 + 0.2 * random()));
    const base = Math.max(10, Math.min(1_000, interval / 4));
    return Math.max(
      base / 2,
      backoffDelay(this.failures - 1, { baseDelayMs: base, maxDelayMs: interval, random }),
    );
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const ok = await this.options.run().catch(() => false);
    this.failures = ok ? 0 : this.failures + 1;
    this.schedule(this.nextDelay());
  }
}
