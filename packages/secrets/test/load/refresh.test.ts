import { z } from 'zod';
import { defineSecrets, loadSecrets, type Secrets, secret } from '../../src';
import { eventually, type LocalAws, random, startLocalAws } from '../support/local-aws';
import { memoryLogger } from '../support/memory-logger';

const Token = z.object({ token: z.string().min(8) });

describe('refresh against the local endpoint', () => {
  let aws: LocalAws;
  const open: Array<Secrets<never>> = [];
  let counter = 0;

  /** Each test gets its own secret names, so tests never see each other's writes. */
  async function setup(overrides: Parameters<LocalAws['options']>[0] = {}) {
    counter += 1;
    const names = { a: `refresh-a-${counter}`, b: `refresh-b-${counter}` };
    await aws.createSecret(`estate/dev/${names.a}`, { token: random() });
    await aws.createSecret(`estate/dev/${names.b}`, { token: random() });
    const manifest = defineSecrets({
      service: 'refresher',
      secrets: { a: secret(names.a, Token), b: secret(names.b, Token) },
    });
    const log = memoryLogger();
    const loaded = await loadSecrets(manifest, aws.options({ logger: log.logger, ...overrides }));
    open.push(loaded as never);
    return { loaded, names, log };
  }

  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterEach(() => {
    aws.endpoint.clearFaults();
    for (const s of open.splice(0)) s.close();
  });
  afterAll(() => aws.stop());

  it('picks up a PutSecretValue in the background and fires onChange exactly once', async () => {
    const { loaded, names } = await setup({ refreshIntervalMs: 100 });
    const before = loaded.get('a');
    const changes: Array<[string, string | undefined]> = [];
    loaded.onChange('a', (next, previous) => changes.push([next.token, previous?.token]));
    const otherChanges = jest.fn();
    loaded.onChange('b', otherChanges);
    const token = random();
    const version = await aws.putSecret(`estate/dev/${names.a}`, { token });
    await eventually(() => expect(loaded.get('a').token).toBe(token));
    expect(loaded.versionId('a')).toBe(version);
    // Let a few more rounds run: the same version must not fire again.
    const rounds = aws.endpoint.stats().calls.BatchGetSecretValue ?? 0;
    await eventually(() =>
      expect(aws.endpoint.stats().calls.BatchGetSecretValue).toBeGreaterThan(rounds + 2),
    );
    expect(changes).toEqual([[token, before.token]]);
    expect(otherChanges).not.toHaveBeenCalled();
  });

  it('fires nothing and reports unchanged when the version is the same', async () => {
    const { loaded } = await setup();
    const listener = jest.fn();
    loaded.onChange('a', listener);
    const value = loaded.get('a');
    const report = await loaded.refresh();
    expect(report).toMatchObject({ ok: true, groups: { a: 'unchanged', b: 'unchanged' }, changed: [] });
    expect(listener).not.toHaveBeenCalled();
    expect(loaded.get('a')).toBe(value); // same object: no parse happened
  });

  it('coalesces concurrent forced refreshes into one request', async () => {
    const { loaded, names } = await setup();
    aws.endpoint.addFault({ kind: 'latency', latencyMs: 50, operation: 'BatchGetSecretValue' });
    const token = random();
    await aws.putSecret(`estate/dev/${names.b}`, { token });
    aws.endpoint.resetStats();
    const reports = await Promise.all(Array.from({ length: 10 }, () => loaded.refresh('b')));
    expect(aws.endpoint.stats().calls).toEqual({ BatchGetSecretValue: 1 });
    expect(new Set(reports).size).toBe(1);
    expect(reports[0]?.changed).toEqual(['b']);
    expect(loaded.get('b').token).toBe(token);
  });

  it('reads AWSPREVIOUS again only when AWSCURRENT moved', async () => {
    counter += 1;
    const name = `refresh-prev-${counter}`;
    const first = random();
    await aws.createSecret(`estate/dev/${name}`, { token: first });
    const manifest = defineSecrets({
      service: 'refresher',
      secrets: { key: secret(name, Token, { keepPrevious: true }) },
    });
    const loaded = await loadSecrets(manifest, aws.options());
    open.push(loaded as never);

    aws.endpoint.resetStats();
    await loaded.refresh();
    expect(aws.endpoint.stats().calls).toEqual({ BatchGetSecretValue: 1 });

    const second = random();
    await aws.putSecret(`estate/dev/${name}`, { token: second });
    aws.endpoint.resetStats();
    await loaded.refresh();
    expect(aws.endpoint.stats().calls).toEqual({ BatchGetSecretValue: 1, GetSecretValue: 1 });
    expect(loaded.get('key').token).toBe(second);
    expect(loaded.previous('key')?.token).toBe(first);
  });

  it('a malformed version put and then replaced: the value served before it stays the previous one', async () => {
    counter += 1;
    const name = `estate/dev/refresh-malformed-${counter}`;
    const served = random();
    const servedVersion = await aws.createSecret(name, { token: served });
    const manifest = defineSecrets({
      service: 'refresher',
      secrets: { key: secret(name.split('/')[2]!, Token, { keepPrevious: true }) },
    });
    const loaded = await loadSecrets(manifest, aws.options());
    open.push(loaded as never);

    // An operator puts a value its schema refuses, then puts a good one: AWSPREVIOUS is now the
    // refused version, which this process never served (a JWT key: tokens signed before it).
    await aws.putSecret(name, { token: random(3) });
    expect((await loaded.refresh()).groups.key).toBe('rejected');
    const fixed = random();
    await aws.putSecret(name, { token: fixed });
    expect((await loaded.refresh()).groups.key).toBe('changed');

    expect(loaded.get('key').token).toBe(fixed);
    expect(loaded.previous('key')?.token).toBe(served);
    expect(loaded.previousVersionId('key')).toBe(servedVersion);
    expect(loaded.health().status).toBe('fresh');
  });

  it('keeps serving during an outage, shows stale, logs once, and recovers by itself', async () => {
    const { loaded, names, log } = await setup({
      refreshIntervalMs: 100,
      refreshDeadlineMs: 150,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    const served = loaded.get('a').token;
    aws.endpoint.addFault({ kind: 'error500' });
    await eventually(() => expect(loaded.health().groups.a?.consecutiveFailures).toBeGreaterThanOrEqual(3));
    expect(loaded.get('a').token).toBe(served);
    const health = loaded.health();
    expect(health.status).toBe('stale');
    expect(health.groups.a).toMatchObject({ stale: true, lastErrorName: 'RetryDeadlineError' });
    expect(health.lastError?.keys).toEqual(expect.arrayContaining(['a', 'b']));
    expect(log.entries.filter((e) => e.level === 'warn')).toHaveLength(1);

    const token = random();
    aws.endpoint.clearFaults();
    await aws.putSecret(`estate/dev/${names.a}`, { token });
    await eventually(() => expect(loaded.get('a').token).toBe(token));
    await eventually(() => expect(loaded.health().status).toBe('fresh'));
    expect(log.entries.filter((e) => e.message === 'secrets refresh recovered')).toHaveLength(1);
    expect(log.text()).not.toContain(served);
    expect(log.text()).not.toContain(token);
  }, 20_000);

  it('a forced refresh during an outage reports the failure and never throws', async () => {
    const { loaded } = await setup({ refreshDeadlineMs: 200 });
    aws.endpoint.addFault({ kind: 'throttle' });
    const report = await loaded.refresh();
    expect(report.ok).toBe(false);
    expect(report.groups).toEqual({ a: 'failed', b: 'failed' });
    expect(report.errors[0]).toMatchObject({ key: 'a', errorName: 'RetryDeadlineError' });
  });

  it('rejects a refreshed value that fails its schema, keeps the old one, marks the group stale', async () => {
    const { loaded, names, log } = await setup();
    const listener = jest.fn();
    loaded.onChange('a', listener);
    const served = loaded.get('a').token;
    const weak = random(3);
    await aws.putSecret(`estate/dev/${names.a}`, { token: weak });
    const report = await loaded.refresh();
    await loaded.refresh();
    expect(report.groups.a).toBe('rejected');
    expect(report.errors).toEqual([
      { key: 'a', name: `estate/dev/${names.a}`, errorName: 'ValidationError', fieldPath: 'token' },
    ]);
    expect(loaded.get('a').token).toBe(served);
    expect(loaded.health().groups.a?.stale).toBe(true);
    expect(listener).not.toHaveBeenCalled();
    const rejections = log.entries.filter((e) => e.level === 'error');
    expect(rejections).toHaveLength(1); // once per rejected version, not per round
    expect(rejections[0]?.object).toMatchObject({ group: `estate/dev/${names.a}`, fieldPaths: ['token'] });
    expect(log.text()).not.toContain(weak);
  });

  it('catches a throwing listener, logs its name only, and still runs the others', async () => {
    const { loaded, names, log } = await setup();
    const token = random();
    loaded.onChange('a', (next) => {
      throw new Error(`bad listener saw ${next.token}`);
    });
    const second = jest.fn();
    const unsubscribe = loaded.onChange('a', second);
    await aws.putSecret(`estate/dev/${names.a}`, { token });
    await loaded.refresh();
    expect(second).toHaveBeenCalledTimes(1);
    expect(log.entries.find((e) => e.level === 'error')?.object).toEqual({ group: 'a', errorName: 'Error' });
    expect(log.text()).not.toContain(token);
    unsubscribe();
    await aws.putSecret(`estate/dev/${names.a}`, { token: random() });
    await loaded.refresh();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('close() stops the timer and is idempotent', async () => {
    const { loaded } = await setup({ refreshIntervalMs: 50 });
    loaded.close();
    loaded.close();
    aws.endpoint.resetStats();
    await new Promise((r) => setTimeout(r, 200));
    expect(aws.endpoint.stats().total).toBe(0);
  });
});
