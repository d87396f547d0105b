import { parseArgs } from 'node:util';
import { monthsBetween, Period } from '@estate/contracts';
import { UsageError } from '../errors';

export const USAGE = `usage: estate-etl run [--from YYYY-MM] [--to YYYY-MM] [--regions 11680,11110] [--tables A_2024_00045]
                      [--page-size 1..1000] [--pace-ms N] [--parallel 1..8]
  --to        last month to load (default: the current month, UTC)
  --from      first month (default: --to minus the lookback months + 1, parameter config/etl_lookback_months)
  --regions   MOLIT LAWD codes (default: parameter config/etl_regions)
  --tables    R-ONE table ids (default: parameter config/etl_kreb_tables)
  --page-size rows per request for both sources (default 1000, the APIs' maximum)
  --pace-ms   least time between two requests to one source (default 250)
  --parallel  periods loaded at once, each in its own transaction (default 2)
exit codes: 0 every requested period loaded, 1 a period or the event failed, 2 usage, 3 another run holds the lock`;

export interface RunArgs {
  from?: Period;
  to?: Period;
  regions?: string[];
  tables?: string[];
  pageSize?: number;
  paceMs?: number;
  parallel?: number;
}

export function parseRunArgs(argv: string[]): RunArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message, { code: 'usage' });
  }
  const [command, ...rest] = parsed.positionals;
  if (command !== 'run' || rest.length > 0)
    throw new UsageError(`expected the command "run"`, { code: 'usage' });
  const { values } = parsed;
  const args: RunArgs = {};
  if (values.from !== undefined) args.from = period(values.from, '--from');
  if (values.to !== undefined) args.to = period(values.to, '--to');
  if (args.from && args.to && monthsBetween(args.from, args.to) < 0)
    throw new UsageError('--from must not be after --to', { code: 'usage' });
  if (values.regions !== undefined) {
    args.regions = list(values.regions, '--regions');
    const bad = args.regions.find((region) => !/^\d{5}$/.test(region));
    if (bad)
      throw new UsageError(`--regions takes 5-digit LAWD codes (got ${JSON.stringify(bad)})`, {
        code: 'usage',
      });
  }
  if (values.tables !== undefined) args.tables = list(values.tables, '--tables');
  if (values['page-size'] !== undefined) args.pageSize = integer(values['page-size'], '--page-size', 1, 1000);
  if (values['pace-ms'] !== undefined) args.paceMs = integer(values['pace-ms'], '--pace-ms', 0, 60_000);
  if (values.parallel !== undefined) args.parallel = integer(values.parallel, '--parallel', 1, 8);
  return args;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      regions: { type: 'string' },
      tables: { type: 'string' },
      'page-size': { type: 'string' },
      'pace-ms': { type: 'string' },
      parallel: { type: 'string' },
    },
  });
}

function period(value: string, flag: string): Period {
  if (!Period.safeParse(value).success)
    throw new UsageError(`${flag} must be a month as YYYY-MM (got ${JSON.stringify(value)})`, {
      code: 'usage',
    });
  return value;
}

function list(value: string, flag: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag} must list at least one item`, { code: 'usage' });
  return items;
}

function integer(value: string, flag: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}`, { code: 'usage' });
  }
  return parsed;
}
