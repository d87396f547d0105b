import { Counter, Gauge, type Registry } from 'prom-client';

export interface GroupAge {
  group: string;
  ageSeconds: number | undefined;
}

/** The package's metrics; a no-op without a registry. */
export interface SecretsMetrics {
  apiCall(operation: string, outcome: string): void;
  refresh(outcome: string): void;
  stale(group: string, stale: boolean): void;
  /** Ages are computed at scrape time; returns the unregister function. */
  addAges(ages: () => GroupAge[]): () => void;
}

const NOOP: SecretsMetrics = { apiCall() {}, refresh() {}, stale() {}, addAges: () => () => {} };
const ageSources = new WeakMap<object, Set<() => GroupAge[]>>();

/**
 * Registers on the app's registry only. Two containers on one registry share the metrics: an
 * existing metric is reused by name (prom-client refuses a second registration).
 */
export function createMetrics(registry: Registry | undefined): SecretsMetrics {
  if (!registry) return NOOP;
  const calls = counter(
    registry,
    'estate_secrets_api_calls_total',
    'AWS API calls by operation and outcome',
    ['operation', 'outcome'],
  );
  const refreshes = counter(registry, 'estate_secrets_refresh_total', 'Refresh outcomes per group', [
    'outcome',
  ]);
  const staleGauge = gauge(registry, 'estate_secrets_stale', '1 when a group serves a stale value', [
    'group',
  ]);
  const ageGauge = gauge(
    registry,
    'estate_secrets_age_seconds',
    'Seconds since the last successful refresh',
    ['group'],
  );
  const sources = ageSources.get(ageGauge) ?? new Set<() => GroupAge[]>();
  ageSources.set(ageGauge, sources);
  return {
    apiCall: (operation, outcome) => calls.inc({ operation, outcome }),
    refresh: (outcome) => refreshes.inc({ outcome }),
    stale: (group, isStale) => staleGauge.set({ group }, isStale ? 1 : 0),
    addAges(ages) {
      sources.add(ages);
      return () => sources.delete(ages);
    },
  };
}

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string, labelNames: string[]): Gauge {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge;
  const created: Gauge = new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    ...(name === 'estate_secrets_age_seconds'
      ? {
          collect() {
            created.reset();
            for (const ages of ageSources.get(created) ?? []) {
              for (const { group, ageSeconds } of ages()) {
                if (ageSeconds !== undefined) created.set({ group }, ageSeconds);
              }
            }
          },
        }
      : {}),
  });
  return created;
}
