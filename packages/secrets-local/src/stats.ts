import type { EndpointStats } from './types';

/** Counts AWS API calls by operation and by access key (control calls are not counted). */
export class StatsRecorder {
  private stats: EndpointStats = { calls: {}, byAccessKey: {}, total: 0 };

  record(operation: string, accessKeyId: string | undefined): void {
    const key = accessKeyId ?? 'anonymous';
    this.stats.calls[operation] = (this.stats.calls[operation] ?? 0) + 1;
    const perKey = this.stats.byAccessKey[key] ?? {};
    perKey[operation] = (perKey[operation] ?? 0) + 1;
    this.stats.byAccessKey[key] = perKey;
    this.stats.total += 1;
  }

  snapshot(): EndpointStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = { calls: {}, byAccessKey: {}, total: 0 };
  }
}
