import { Counter, Gauge, type Registry } from 'prom-client';
import { type AwsErrorClass, classifyAwsErrorName } from './aws/classify-error';
import type { SourceError } from './errors';

/** One group's health as the gauges show it; read at scrape time. */
export interface GroupHealthSample {
  group: string;
  ageSeconds: number | undefined;
  /** Undefined for an absent optional group: no stale series for it. */
  stale: boolean | undefined;
}

/** The package's metrics; a no-op without a registry. */
export interface SecretsMetrics {
  apiCall(operation: string, outcome: string): void;
  refresh(outcome: string): void;
  /**
   * Ages and staleness are computed at scrape time (a refresh round that keeps retrying must not
   * hide a stale group until it ends); returns the unregister function.
   */
  addHealth(groups: () => GroupHealthSample[]): () => void;
}

/**
 * The `outcome` label of `estate_secrets_api_calls_total` per error class. The values predate the
 * classes (snake_case, `_error` suffixes) and stay as they were, so dashboards keep matching.
 */
const OUTCOME: Readonly<Record<AwsErrorClass, string>> = {
  throttled: 'throttled',
  server: 'server_error',
  network: 'network_error',
  timeout: 'timeout',
  denied: 'denied',
  'not-found': 'not_found',
  invalid: 'invalid',
  other: 'error',
};

/** One attempt's `outcome` label: `success`, or its error's class. */
export function apiCallOutcome(error: SourceError | undefined): string {
  return error ? OUTCOME[classifyAwsErrorName(error.errorName, error.httpStatus)] : 'success';
}

const NOOP: SecretsMetrics = { apiCall() {}, refresh() {}, addHealth: () => () => {} };
/** Per registry: every container's health source, read by both gauges' collect(). */
const healthSources = new WeakMap<Registry, Set<() => GroupHealthSample[]>>();

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
  const sources = healthSources.get(registry) ?? new Set<() => GroupHealthSample[]>();
  healthSources.set(registry, sources);
  const samples = () => [...sources].flatMap((groups) => groups());
  collectedGauge(registry, 'estate_secrets_stale', '1 when a group serves a stale value', () =>
    samples().flatMap(({ group, stale }) => (stale === undefined ? [] : [{ group, value: stale ? 1 : 0 }])),
  );
  collectedGauge(registry, 'estate_secrets_age_seconds', 'Seconds since the last successful refresh', () =>
    samples().flatMap(({ group, ageSeconds }) =>
      ageSeconds === undefined ? [] : [{ group, value: ageSeconds }],
    ),
  );
  return {
    apiCall: (operation, outcome) => calls.inc({ operation, outcome }),
    refresh: (outcome) => refreshes.inc({ outcome }),
    addHealth(groups) {
      sources.add(groups);
      return () => sources.delete(groups);
    },
  };
}

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** A per-group gauge set from `values` at every scrape. */
function collectedGauge(
  registry: Registry,
  name: string,
  help: string,
  values: () => { group: string; value: number }[],
): void {
  if (registry.getSingleMetric(name)) return;
  const created: Gauge = new Gauge({
    name,
    help,
    labelNames: ['group'],
    registers: [registry],
    collect() {
      created.reset();
      for (const { group, value } of values()) created.set({ group }, value);
    },
  });
}
