import { parseCliArgs, parseFaultFlag, UsageError } from '../../src/cli-args';

describe('parseCliArgs', () => {
  it('reads every flag into StartOptions', () => {
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--data',
        '.dev/secrets.json',
        '--policy',
        'policy.json',
        '--quiet',
        '--fault',
        'latency:latencyMs=20',
        '--faults',
        '[{"kind":"throttle","operation":"GetSecretValue","count":3}]',
      ]),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      dataFile: '.dev/secrets.json',
      policy: 'policy.json',
      region: undefined,
      accountId: undefined,
      quiet: true,
      faults: [
        { kind: 'latency', latencyMs: 20 },
        { kind: 'throttle', operation: 'GetSecretValue', count: 3 },
      ],
    });
  });

  it('reads --rotator, the module whose createRotationHandler runs RotateSecret in process', () => {
    expect(parseCliArgs(['--rotator', 'apps/secrets-rotator/dist/local.js']).rotator).toBe(
      'apps/secrets-rotator/dist/local.js',
    );
    expect(parseCliArgs([]).rotator).toBeUndefined();
  });

  it('defaults the port to 4566', () => {
    expect(parseCliArgs([]).port).toBe(4566);
  });

  it.each([
    [['--port', '70000']],
    [['--bogus']],
    [['--fault', 'latency']],
    [['--faults', '{not json']],
    [['extra']],
  ])('refuses %j with a UsageError', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
  });
});

describe('parseFaultFlag', () => {
  it('turns kind:key=value,... into a rule', () => {
    expect(parseFaultFlag('throttle:operation=BatchGetSecretValue,count=2,probability=0.5')).toEqual({
      kind: 'throttle',
      operation: 'BatchGetSecretValue',
      count: 2,
      probability: 0.5,
    });
    expect(parseFaultFlag('drop')).toEqual({ kind: 'drop' });
  });
});
