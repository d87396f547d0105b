import { Counter, Histogram, type Registry } from 'prom-client';

export type JobOutcome = 'completed' | 'failed' | 'retried';

export interface WorkerMetrics {
  observe(outcome: JobOutcome, seconds: number): void;
}

function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Job outcomes per attempt (`retried` = the attempt failed and BullMQ will try again; `failed` = for
 * good) and attempt durations. A second worker on the same registry reuses the metrics by name.
 */
export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  const jobs = reuse(
    registry,
    'estate_ai_worker_jobs_total',
    () =>
      new Counter({
        name: 'estate_ai_worker_jobs_total',
        help: 'market-summary job attempts by outcome (completed, retried, failed for good)',
        labelNames: ['outcome'],
        registers: [registry],
      }),
  );
  const duration = reuse(
    registry,
    'estate_ai_worker_job_duration_seconds',
    () =>
      new Histogram({
        name: 'estate_ai_worker_job_duration_seconds',
        help: 'market-summary job attempt duration by outcome',
        labelNames: ['outcome'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
        registers: [registry],
      }),
  );
  for (const outcome of ['completed', 'failed', 'retried'] as const) jobs.inc({ outcome }, 0);
  return {
    observe(outcome, seconds) {
      jobs.inc({ outcome });
      duration.observe({ outcome }, seconds);
    },
  };
}
