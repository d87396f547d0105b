import type { SecretsHealth } from '../types';
import type { Declared, Snapshot } from './state';

/**
 * A group is stale when its last read failed, its newest version was rejected, or its last good
 * read is older than two refresh intervals (with the background refresh on). An absent optional
 * group is not stale.
 */
export function healthOf(
  declared: Declared,
  snapshot: Snapshot,
  intervalMs: number,
  now: number,
  lastError: SecretsHealth['lastError'],
): SecretsHealth {
  const groups: SecretsHealth['groups'] = {};
  for (const { key, name } of declared.secrets) {
    const state = snapshot.groups.get(key);
    const ageMs = state?.lastRefreshAt === undefined ? undefined : now - state.lastRefreshAt;
    const absent = state?.absent ?? false;
    const stale =
      !absent &&
      ((state?.consecutiveFailures ?? 0) > 0 ||
        state?.rejectedVersionId !== undefined ||
        (intervalMs > 0 && ageMs !== undefined && ageMs > 2 * intervalMs));
    groups[key] = {
      name,
      versionId: state?.current?.versionId,
      lastRefreshAt:
        state?.lastRefreshAt === undefined ? undefined : new Date(state.lastRefreshAt).toISOString(),
      ageSeconds: ageMs === undefined ? undefined : Math.round(ageMs / 100) / 10,
      stale,
      absent,
      consecutiveFailures: state?.consecutiveFailures ?? 0,
      ...(state?.lastErrorName ? { lastErrorName: state.lastErrorName } : {}),
    };
  }
  const status = Object.values(groups).some((g) => g.stale) ? 'stale' : 'fresh';
  return { status, groups, ...(lastError ? { lastError } : {}) };
}
