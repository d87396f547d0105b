/** pino-compatible: (object, message). */
export interface ShutdownLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** One thing a service closes at shutdown, under a name that is safe to log. */
export interface ShutdownStep {
  name: string;
  close: () => unknown;
  /**
   * At most this long. A step without a bound of its own (the server or the worker, which wait
   * for work in flight) gets what remains of the deadline after the bounds of the steps behind it.
   */
  timeoutMs?: number;
}

export interface DrainOutcome {
  closed: string[];
  /** Still running when their bound or the deadline passed; the process exits without them. */
  abandoned: string[];
  failed: string[];
}

/** Below every pod's terminationGracePeriodSeconds, and 10 s after SIGTERM with room to spare. */
export const DEFAULT_SHUTDOWN_DEADLINE_MS = 8_000;

/**
 * Closes the steps in order, each bounded, all within `deadlineMs`. A step that hangs (a client
 * waiting on a frozen Redis, a pool ending against a stopped PostgreSQL) is abandoned and the next
 * one runs: the process is about to exit, which closes whatever is left.
 */
export async function drain(
  steps: readonly ShutdownStep[],
  options: { deadlineMs: number; logger: ShutdownLogger },
): Promise<DrainOutcome> {
  const deadline = performance.now() + options.deadlineMs;
  const outcome: DrainOutcome = { closed: [], abandoned: [], failed: [] };
  for (const [index, step] of steps.entries()) {
    const remaining = deadline - performance.now();
    const reserved = steps.slice(index + 1).reduce((sum, later) => sum + (later.timeoutMs ?? 0), 0);
    const budgetMs = Math.max(
      0,
      step.timeoutMs === undefined ? remaining - reserved : Math.min(step.timeoutMs, remaining),
    );
    const result = await settleWithin(step.close, budgetMs);
    if (result.status === 'closed') {
      outcome.closed.push(step.name);
    } else if (result.status === 'abandoned') {
      outcome.abandoned.push(step.name);
      options.logger.warn({ step: step.name, budgetMs: Math.round(budgetMs) }, 'shutdown step abandoned');
    } else {
      outcome.failed.push(step.name);
      // The error's name only: a driver's message may quote a host or a URL.
      options.logger.warn({ step: step.name, errorName: result.errorName }, 'shutdown step failed');
    }
  }
  return outcome;
}

type StepResult = { status: 'closed' } | { status: 'abandoned' } | { status: 'failed'; errorName: string };

async function settleWithin(close: () => unknown, ms: number): Promise<StepResult> {
  let timer: NodeJS.Timeout | undefined;
  const work = Promise.resolve()
    .then(close)
    .then(
      (): StepResult => ({ status: 'closed' }),
      (error: unknown): StepResult => ({
        status: 'failed',
        errorName: error instanceof Error ? error.name : typeof error,
      }),
    );
  const expiry = new Promise<StepResult>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'abandoned' }), ms);
  });
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The SIGTERM handler of a long-running service: drains the steps (read when the signal comes),
 * logs `stopped` and exits 0, or names what it abandoned or what failed and exits 1. A second
 * SIGTERM changes nothing. Only main.ts calls this: it is the process edge.
 */
export function drainOnSigterm(
  steps: () => readonly ShutdownStep[],
  options: { deadlineMs: number; logger: ShutdownLogger },
): void {
  const { deadlineMs, logger } = options;
  let draining = false;
  process.on('SIGTERM', () => {
    if (draining) return;
    draining = true;
    logger.info({ deadlineMs }, 'SIGTERM: draining');
    // Every step is bounded; this only guards against a bug in the bounds themselves.
    setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, deadlineMs + 1_000).unref();
    void drain(steps(), options).then(({ abandoned, failed }) => {
      if (abandoned.length === 0 && failed.length === 0) {
        logger.info({}, 'stopped');
        process.exit(0);
      }
      logger.error({ abandoned, failed, deadlineMs }, 'shutdown incomplete; exiting');
      process.exit(1);
    });
  });
}

/**
 * `SHUTDOWN_DEADLINE_MS` from the process environment (default 8 s); a bad value names the
 * variable. Raise it together with the pod's terminationGracePeriodSeconds.
 */
export function shutdownDeadlineFromEnvironment(variables: Record<string, string | undefined>): number {
  const value = variables.SHUTDOWN_DEADLINE_MS;
  if (value === undefined || value === '') return DEFAULT_SHUTDOWN_DEADLINE_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new Error('SHUTDOWN_DEADLINE_MS: must be a positive whole number of milliseconds');
  }
  return ms;
}
