import { inspect } from 'node:util';
import { SecretsLoadError, SecretsUsageError } from '../errors';
import type { ServiceManifest } from '../manifest';
import type { SecretsMetrics } from '../metrics';
import type { ResolvedOptions } from '../options';
import { REDACTED, type SensitiveValue } from '../redaction';
import type { SecretSource } from '../sources';
import type { RefreshReport, Secrets, SecretsHealth } from '../types';
import { applyRound, type RoundOutcome } from './apply-round';
import { fetchRound } from './fetch-round';
import { healthOf } from './health';
import { RefreshScheduler } from './refresh-scheduler';
import type { Declared, Snapshot } from './state';

type Listener = (next: unknown, previous: unknown) => void;

export interface ContainerDeps {
  declared: Declared;
  source: SecretSource;
  options: ResolvedOptions;
  metrics: SecretsMetrics;
}

/**
 * The loaded secrets of one service. Reads come from an immutable snapshot that a refresh replaces
 * in one assignment; the background refresh, forced refreshes, change events and health live here.
 */
export class SecretsContainer<M extends ServiceManifest> implements Secrets<M> {
  readonly service: string;
  readonly env: ResolvedOptions['env'];
  readonly source: string;
  private snapshot: Snapshot = { groups: new Map(), parameters: new Map(), values: {}, sensitive: [] };
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly abort = new AbortController();
  private readonly scheduler: RefreshScheduler;
  private readonly removeHealthMetrics: () => void;
  private inFlight: Promise<RefreshReport> | undefined;
  private lastRoundReadFailed = false;
  private failureStreak = 0;
  private lastError: SecretsHealth['lastError'];
  private closed = false;

  constructor(
    private readonly manifest: M,
    private readonly deps: ContainerDeps,
  ) {
    this.service = manifest.service;
    this.env = deps.options.env;
    this.source = deps.source.kind;
    this.scheduler = new RefreshScheduler({
      intervalMs: deps.options.refreshIntervalMs,
      run: async () => {
        await this.refresh();
        return !this.lastRoundReadFailed;
      },
    });
    this.removeHealthMetrics = deps.metrics.addHealth(() =>
      Object.entries(this.health().groups).map(([key, g]) => ({
        group: this.groupOf(key),
        ageSeconds: g.ageSeconds,
        stale: g.absent ? undefined : g.stale,
      })),
    );
  }

  /** The startup load: every problem at once, as one SecretsLoadError. */
  async start(): Promise<void> {
    const { declared, source, options } = this.deps;
    const context = { deadlineAt: Date.now() + options.startupDeadlineMs, signal: this.abort.signal };
    const outcome = applyRound(declared, undefined, await fetchRound(source, declared, context), Date.now());
    if (outcome.problems.length > 0) throw new SecretsLoadError(this.service, outcome.problems);
    this.snapshot = outcome.next;
    this.scheduler.start();
  }

  get(key: string): never {
    const value = this.snapshot.values[key];
    if (value !== undefined) return value as never;
    this.declaredSecret(key);
    return undefined as never;
  }

  previous(key: string): never {
    if (!this.declaredSecret(key).keepPrevious) {
      throw new SecretsUsageError(`${this.service}: secrets.${key} is not declared with keepPrevious: true`);
    }
    return this.snapshot.groups.get(key)?.previous?.value as never;
  }

  versionId(key: string): string | undefined {
    this.declaredSecret(key);
    return this.snapshot.groups.get(key)?.current?.versionId;
  }

  previousVersionId(key: string): string | undefined {
    this.declaredSecret(key);
    return this.snapshot.groups.get(key)?.previous?.versionId;
  }

  param(key: string): never {
    const state = this.snapshot.parameters.get(key);
    if (!state && !Object.hasOwn(this.manifest.parameters, key)) {
      throw new SecretsUsageError(`${this.service}: parameters.${key} is not declared in the manifest`);
    }
    return state?.value as never;
  }

  onChange(key: string, listener: (next: never, previous: never) => void): () => void {
    this.declaredSecret(key);
    const set = this.listeners.get(key) ?? new Set<Listener>();
    this.listeners.set(key, set);
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  /**
   * Reads every group now. Calls made while a round is under way join it (one request). Never
   * throws for a failed read: the report says what failed and the last good values keep serving.
   * `key` states intent only: one batch call reads all groups for the price of one.
   */
  refresh(_key?: string): Promise<RefreshReport> {
    if (this.inFlight) return this.inFlight;
    const round = this.round().finally(() => {
      this.inFlight = undefined;
    });
    this.inFlight = round;
    return round;
  }

  health(): SecretsHealth {
    return healthOf(
      this.deps.declared,
      this.snapshot,
      this.deps.options.refreshIntervalMs,
      Date.now(),
      this.lastError,
    );
  }

  secretValues(): readonly SensitiveValue[] {
    return this.snapshot.sensitive;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.scheduler.stop();
    this.abort.abort();
    this.removeHealthMetrics();
    this.deps.source.close();
  }

  toJSON(): string {
    return REDACTED;
  }
  toString(): string {
    return REDACTED;
  }
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }

  private async round(): Promise<RefreshReport> {
    const { declared, source, options } = this.deps;
    const started = Date.now();
    const context = { deadlineAt: started + options.refreshDeadlineMs, signal: this.abort.signal };
    const before = this.snapshot;
    const results = await fetchRound(source, declared, context, before);
    const outcome = applyRound(declared, before, results, Date.now());
    if (!this.closed) this.snapshot = outcome.next;
    this.lastRoundReadFailed = outcome.readFailed;
    this.record(outcome, before, started);
    if (!this.closed) this.emit(outcome);
    return this.report(outcome, started);
  }

  private record(outcome: RoundOutcome, before: Snapshot, started: number): void {
    const { logger } = this.deps.options;
    for (const groupOutcome of Object.values(outcome.groups)) this.deps.metrics.refresh(groupOutcome);
    for (const rejected of outcome.rejected) {
      if (before.groups.get(rejected.key)?.rejectedVersionId === rejected.versionId) continue;
      logger.error(
        { group: rejected.name, versionId: rejected.versionId, fieldPaths: rejected.fieldPaths },
        'refreshed secret rejected by its schema; the last good value keeps serving',
      );
    }
    if (outcome.problems.length > 0) {
      this.lastError = {
        errorName: outcome.problems[0]?.errorName ?? 'Error',
        at: new Date(started).toISOString(),
        keys: [...new Set(outcome.problems.map((p) => this.keyOf(p.name)))],
      };
    }
    if (outcome.readFailed) {
      if (this.failureStreak === 0) {
        logger.warn(
          { errors: outcome.problems.map((p) => ({ name: p.name, errorName: p.errorName })) },
          'secrets refresh failed; serving the last good values and retrying with backoff',
        );
      }
      this.failureStreak += 1;
    } else if (this.failureStreak > 0) {
      logger.info({ failedRounds: this.failureStreak }, 'secrets refresh recovered');
      this.failureStreak = 0;
    }
  }

  private emit(outcome: RoundOutcome): void {
    for (const change of outcome.changed) {
      for (const listener of this.listeners.get(change.key) ?? []) {
        try {
          listener(change.next, change.previous);
        } catch (error) {
          // The name only: a listener's message might quote the value it was handed.
          this.deps.options.logger.error(
            { group: change.key, errorName: (error as Error)?.name ?? 'Error' },
            'onChange listener threw; other listeners still ran',
          );
        }
      }
    }
  }

  private report(outcome: RoundOutcome, started: number): RefreshReport {
    return {
      ok: outcome.problems.length === 0,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      groups: outcome.groups,
      changed: outcome.changed.map((c) => c.key),
      errors: outcome.problems.map((p) => ({
        key: this.keyOf(p.name),
        name: p.name,
        errorName: p.errorName,
        ...(p.fieldPath ? { fieldPath: p.fieldPath } : {}),
      })),
    };
  }

  private groupOf(key: string): string {
    return this.deps.declared.secrets.find((s) => s.key === key)?.declaration.group ?? key;
  }

  private keyOf(name: string): string {
    const { secrets, parameters } = this.deps.declared;
    return [...secrets, ...parameters].find((d) => d.name === name)?.key ?? name;
  }

  private declaredSecret(key: string) {
    const declaration = Object.hasOwn(this.manifest.secrets, key) ? this.manifest.secrets[key] : undefined;
    if (!declaration)
      throw new SecretsUsageError(`${this.service}: secrets.${key} is not declared in the manifest`);
    return declaration;
  }
}
