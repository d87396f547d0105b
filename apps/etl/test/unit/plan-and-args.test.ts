import { parseRunArgs } from '../../src/cli/args';
import { UsageError } from '../../src/errors';
import { planRun } from '../../src/run/plan';

describe('parseRunArgs', () => {
  it('reads the flags', () => {
    expect(
      parseRunArgs([
        'run',
        '--from',
        '2024-01',
        '--to',
        '2024-03',
        '--regions',
        '11680, 11110',
        '--tables',
        'A',
        '--parallel',
        '3',
      ]),
    ).toEqual({
      from: '2024-01',
      to: '2024-03',
      regions: ['11680', '11110'],
      tables: ['A'],
      parallel: 3,
    });
  });
  it.each([
    [['run', '--from', '2024-1']],
    [['run', '--from', '2024-03', '--to', '2024-01']],
    [['run', '--regions', '1168']],
    [['run', '--page-size', '1001']],
    [['run', '--parallel', '0']],
    [['run', '--parallel', '9']],
    [['run', '--parallel', '1.5']],
    [['load']],
    [['run', '--unknown']],
  ])('rejects %j with a UsageError', (argv) => {
    expect(() => parseRunArgs(argv)).toThrow(UsageError);
  });
});

describe('planRun', () => {
  it('skips watermarked periods, except deals inside the lookback window', () => {
    const done = new Set(['rone/T/2024-01', 'molit/11680/2024-01', 'molit/11680/2024-03']);
    const plan = planRun(
      {
        periods: ['2024-01', '2024-02', '2024-03'],
        regions: ['11680'],
        tables: ['T'],
        refetchDealsFrom: '2024-02',
      },
      (mark) => done.has(`${mark.source}/${mark.series}/${mark.period}`),
    );
    expect(plan.alreadyLoaded).toEqual([
      { source: 'rone', series: 'T', period: '2024-01' },
      { source: 'molit', series: '11680', period: '2024-01' },
    ]);
    expect(plan.tasks.map((task) => `${task.source}/${task.period}/${task.refetch}`)).toEqual([
      'rone/2024-02/false',
      'molit/2024-02/false',
      'rone/2024-03/false',
      'molit/2024-03/true',
    ]);
  });
});
