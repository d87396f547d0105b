import { QUEUE_PREFIX } from '@estate/contracts';
import { DEFAULT_SHUTDOWN_DEADLINE_MS } from '@estate/platform';
import { z } from 'zod';

const Milliseconds = z.coerce.number().int().positive();

/** Process settings that are not secrets or SSM parameters: where the process listens, timings. */
const Settings = z.object({
  HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  /** Must equal the producer's prefix: the backend enqueues under `QUEUE_PREFIX`. */
  AI_WORKER_QUEUE_PREFIX: z.string().min(1).default(QUEUE_PREFIX),
  AI_WORKER_LOCK_DURATION_MS: Milliseconds.default(30_000),
  AI_WORKER_STALLED_INTERVAL_MS: Milliseconds.default(30_000),
  /** SIGTERM to exit, running jobs included: past it their locks lapse and they run elsewhere. */
  SHUTDOWN_DEADLINE_MS: Milliseconds.default(DEFAULT_SHUTDOWN_DEADLINE_MS),
});

export interface WorkerSettings {
  healthPort: number;
  queuePrefix: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
  shutdownDeadlineMs: number;
}

/** The edge: reads the process environment once; a bad value names the variable. */
export function settingsFromEnvironment(variables: Record<string, string | undefined>): WorkerSettings {
  const result = Settings.safeParse(variables);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`ai-worker: invalid environment: ${problems.join('; ')}`);
  }
  const s = result.data;
  return {
    healthPort: s.HEALTH_PORT,
    queuePrefix: s.AI_WORKER_QUEUE_PREFIX,
    lockDurationMs: s.AI_WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: s.AI_WORKER_STALLED_INTERVAL_MS,
    shutdownDeadlineMs: s.SHUTDOWN_DEADLINE_MS,
  };
}
