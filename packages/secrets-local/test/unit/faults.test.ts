import { FaultRuleError } from '../../src/errors';
import { FaultInjector, parseFaultRules } from '../../src/faults';

describe('FaultInjector', () => {
  it('adds the delays of every firing latency rule and takes the first failure', () => {
    const faults = new FaultInjector([
      { kind: 'latency', latencyMs: 10 },
      { kind: 'latency', latencyMs: 5, operation: 'GetSecretValue' },
      { kind: 'throttle', operation: 'GetSecretValue' },
      { kind: 'error500' },
    ]);
    expect(faults.plan('GetSecretValue', 'secretsmanager.GetSecretValue')).toEqual({
      latencyMs: 15,
      outcome: 'throttle',
    });
    expect(faults.plan('GetParameter', 'AmazonSSM.GetParameter')).toEqual({
      latencyMs: 10,
      outcome: 'error500',
    });
  });

  it('matches an operation by name or by full target', () => {
    const faults = new FaultInjector([{ kind: 'drop', operation: 'AmazonSSM.GetParameters' }]);
    expect(faults.plan('GetParameters', 'AmazonSSM.GetParameters').outcome).toBe('drop');
    expect(faults.plan('GetParameters', 'secretsmanager.GetParameters').outcome).toBeUndefined();
  });

  it('expires a counted rule after it fired count times, and lists what remains', () => {
    const faults = new FaultInjector([{ kind: 'throttle', count: 2 }]);
    expect(faults.plan('A', 'x.A').outcome).toBe('throttle');
    expect(faults.list()).toEqual([{ kind: 'throttle', count: 1 }]);
    expect(faults.plan('A', 'x.A').outcome).toBe('throttle');
    expect(faults.plan('A', 'x.A').outcome).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('fires with the given probability and counts only firings', () => {
    const rolls = [0.9, 0.1, 0.6, 0.2];
    const faults = new FaultInjector(
      [{ kind: 'error500', probability: 0.5, count: 2 }],
      () => rolls.shift() ?? 0,
    );
    expect(['A', 'A', 'A', 'A'].map((op) => faults.plan(op, op).outcome)).toEqual([
      undefined,
      'error500',
      undefined,
      'error500',
    ]);
    expect(faults.list()).toEqual([]);
  });

  it('replaces, appends and clears', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'drop' });
    faults.add([{ kind: 'throttle' }]);
    expect(faults.list()).toHaveLength(2);
    faults.set([{ kind: 'latency', latencyMs: 1 }]);
    expect(faults.list()).toEqual([{ kind: 'latency', latencyMs: 1 }]);
    faults.clear();
    expect(faults.list()).toEqual([]);
  });
});

describe('parseFaultRules', () => {
  it.each([
    [{ kind: 'explode' }, 'kind'],
    [{ kind: 'latency' }, 'latencyMs'],
    [{ kind: 'throttle', probability: 2 }, 'probability'],
    [{ kind: 'throttle', count: 0 }, 'count'],
    [{ kind: 'throttle', colour: 'red' }, 'colour'],
  ])('refuses %j', (rule, mentions) => {
    expect(() => parseFaultRules(rule)).toThrow(FaultRuleError);
    expect(() => parseFaultRules(rule)).toThrow(mentions);
  });
});
