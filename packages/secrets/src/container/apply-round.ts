import type { LoadProblem } from '../errors';
import { hintFor } from '../loading/hints';
import { parseSecret } from '../loading/parse-secret';
import { validationProblems } from '../loading/zod-problems';
import { redact, sensitiveValues } from '../redaction';
import type { ItemFailure, ParameterResult, SecretResult } from '../sources';
import type { GroupOutcome } from '../types';
import type {
  Declared,
  DeclaredParameter,
  DeclaredSecret,
  GroupState,
  LoadedVersion,
  ParameterState,
  Snapshot,
} from './state';

export interface RoundResults {
  secrets: readonly SecretResult[];
  parameters: readonly ParameterResult[];
}

export interface Change {
  key: string;
  next: unknown;
  previous: unknown;
}

export interface RoundOutcome {
  next: Snapshot;
  /** Every read or validation problem of this round; at startup each one is fatal. */
  problems: LoadProblem[];
  groups: Record<string, GroupOutcome>;
  changed: Change[];
  /** Newly rejected versions (to log once per version, with field paths). */
  rejected: Array<{ key: string; name: string; versionId: string; fieldPaths: string[] }>;
  /** A read failed (not a validation): the next round comes with backoff, not after the interval. */
  readFailed: boolean;
}

/**
 * Folds one round of results into the next snapshot. A version id equal to the loaded one costs no
 * parse and no event. A failed read or a rejected value keeps the last good value.
 */
export function applyRound(
  declared: Declared,
  before: Snapshot | undefined,
  results: RoundResults,
  now: number,
): RoundOutcome {
  const byName = new Map(results.secrets.map((r) => [`${r.name}|${r.stage}`, r]));
  const parametersByName = new Map(results.parameters.map((r) => [r.name, r]));
  const outcome: Omit<RoundOutcome, 'next'> = {
    problems: [],
    groups: {},
    changed: [],
    rejected: [],
    readFailed: false,
  };

  const groups = new Map<string, GroupState>();
  for (const secret of declared.secrets) {
    const old = before?.groups.get(secret.key);
    const current = byName.get(`${secret.name}|AWSCURRENT`);
    const previous = secret.declaration.keepPrevious ? byName.get(`${secret.name}|AWSPREVIOUS`) : undefined;
    groups.set(secret.key, applyGroup(secret, old, current, previous, now, outcome));
  }
  const parameters = new Map<string, ParameterState>();
  for (const parameter of declared.parameters) {
    const old = before?.parameters.get(parameter.key);
    const state = applyParameter(parameter, old, parametersByName.get(parameter.name), outcome);
    if (state) parameters.set(parameter.key, state);
  }

  const values: Record<string, unknown> = Object.create(null);
  const sensitive = [];
  for (const [key, state] of groups) {
    values[key] = state.current?.value;
    sensitive.push(...(state.current?.sensitive ?? []), ...(state.previous?.sensitive ?? []));
  }
  return { ...outcome, next: { groups, parameters, values, sensitive: Object.freeze(sensitive) } };
}

function applyGroup(
  secret: DeclaredSecret,
  old: GroupState | undefined,
  current: SecretResult | undefined,
  previous: SecretResult | undefined,
  now: number,
  outcome: Omit<RoundOutcome, 'next'>,
): GroupState {
  const base: GroupState = old ?? {
    current: undefined,
    previous: undefined,
    absent: false,
    lastRefreshAt: undefined,
    consecutiveFailures: 0,
    lastErrorName: undefined,
    rejectedVersionId: undefined,
  };
  const failed = (failure: ItemFailure): GroupState => {
    outcome.readFailed = true;
    outcome.groups[secret.key] = 'failed';
    outcome.problems.push(readProblem('secret', secret.name, failure));
    return { ...base, consecutiveFailures: base.consecutiveFailures + 1, lastErrorName: failure.errorName };
  };

  if (!current)
    return failed({
      errorName: 'MissingFromResponse',
      message: 'the source did not answer',
      notFound: false,
    });
  if (!current.ok) {
    if (current.failure.notFound && secret.declaration.optional && !base.current) {
      outcome.groups[secret.key] = 'absent';
      return { ...base, absent: true, lastRefreshAt: now, consecutiveFailures: 0, lastErrorName: undefined };
    }
    return failed(current.failure);
  }

  const next = loadVersion(secret, base.current, current, outcome);
  if (next === 'rejected') {
    outcome.groups[secret.key] = 'rejected';
    return { ...base, rejectedVersionId: current.versionId, lastErrorName: 'ValidationError' };
  }
  let nextPrevious = base.previous;
  if (previous?.ok) {
    const loaded = loadVersion(secret, base.previous, previous, undefined);
    // A rejected AWSPREVIOUS is a malformed version this process never served (put, refused, then
    // replaced by a good one): the value it did serve until now stays the previous one, so what
    // was made with it (tokens signed with that JWT key) keeps verifying.
    nextPrevious = loaded === 'rejected' ? lastServed(base.current, next) : loaded;
  } else if (previous?.failure.notFound) {
    nextPrevious = undefined;
  } else if (previous) {
    return failed(previous.failure);
  }

  // An optional group that appears counts as a change too; the first load does not.
  const changed = (base.current !== undefined || base.absent) && next.versionId !== base.current?.versionId;
  if (changed) outcome.changed.push({ key: secret.key, next: next.value, previous: base.current?.value });
  outcome.groups[secret.key] = changed ? 'changed' : 'unchanged';
  return {
    current: next,
    previous: nextPrevious,
    absent: false,
    lastRefreshAt: now,
    consecutiveFailures: 0,
    lastErrorName: undefined,
    rejectedVersionId: undefined,
  };
}

/** The version served until this round, when the round moved AWSCURRENT away from it. */
function lastServed(served: LoadedVersion | undefined, next: LoadedVersion): LoadedVersion | undefined {
  return served && served.versionId !== next.versionId ? served : undefined;
}

/** Reuses the loaded version when the id is the same; otherwise parses, validates and redacts. */
function loadVersion(
  secret: DeclaredSecret,
  loaded: LoadedVersion | undefined,
  fetched: Extract<SecretResult, { ok: true }>,
  outcome: Omit<RoundOutcome, 'next'> | undefined,
): LoadedVersion | 'rejected' {
  if (loaded && fetched.versionId !== '' && loaded.versionId === fetched.versionId) return loaded;
  const parsed = parseSecret(secret.declaration, fetched);
  if (!parsed.ok) {
    if (outcome) {
      outcome.problems.push(...parsed.problems);
      outcome.rejected.push({
        key: secret.key,
        name: secret.name,
        versionId: fetched.versionId,
        fieldPaths: parsed.problems.map((p) => p.fieldPath ?? '(value)'),
      });
    }
    return 'rejected';
  }
  const label = fetched.stage === 'AWSPREVIOUS' ? `${secret.key}.previous` : secret.key;
  return {
    value: redact(parsed.value),
    versionId: fetched.versionId,
    sensitive: sensitiveValues(secret.declaration.schema, parsed.value, label),
  };
}

function applyParameter(
  parameter: DeclaredParameter,
  old: ParameterState | undefined,
  result: ParameterResult | undefined,
  outcome: Omit<RoundOutcome, 'next'>,
): ParameterState | undefined {
  const { declaration, name } = parameter;
  if (result?.ok) {
    if (old && result.version !== '' && old.version === result.version) return old;
    const checked = declaration.schema.safeParse(result.value);
    if (checked.success) return { value: checked.data, version: result.version };
    outcome.problems.push(...validationProblems(name, checked.error));
    return old;
  }
  if (result?.failure.notFound) {
    if (declaration.hasDefault)
      return { value: declaration.schema.parse(declaration.default), version: undefined };
    if (declaration.optional) return { value: undefined, version: undefined };
  }
  outcome.readFailed = true;
  outcome.problems.push(
    readProblem(
      'parameter',
      name,
      result?.failure ?? { errorName: 'MissingFromResponse', message: 'no answer', notFound: false },
    ),
  );
  return old;
}

function readProblem(kind: 'secret' | 'parameter', name: string, failure: ItemFailure): LoadProblem {
  const hint = hintFor(kind, name, failure);
  return { name, errorName: failure.errorName, message: failure.message, ...(hint ? { hint } : {}) };
}
