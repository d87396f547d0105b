import { parseArgs } from 'node:util';
import { parseFaultRules } from './faults';
import type { FaultRule, StartOptions } from './types';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: estate-secrets-local [--port 4566] [--host 127.0.0.1] [--data FILE] [--policy FILE]
                            [--region us-east-1] [--account-id 000000000000]
                            [--fault KIND[:key=value,...]]... [--faults JSON] [--rotator MODULE] [--quiet]

  --fault   e.g. --fault latency:latencyMs=20  --fault throttle:operation=GetSecretValue,count=3
            --fault error500:probability=0.1   --fault drop:operation=BatchGetSecretValue,count=1
  --faults  a JSON rule or array of rules, e.g. '[{"kind":"latency","latencyMs":20}]'
  --rotator a module exporting createRotationHandler({ endpoint, region }) (e.g. the built
            apps/secrets-rotator/dist/local.js): RotateSecret runs the four steps through it`;

/** StartOptions plus what only the CLI takes. */
export interface CliOptions extends StartOptions {
  /** Module path (resolved from the working directory) of the rotation function to run in process. */
  rotator?: string;
}

/** Turns argv into StartOptions; throws UsageError with a message fit for a person. */
export function parseCliArgs(argv: string[]): CliOptions {
  let parsed: ReturnType<typeof parseWithNode>;
  try {
    parsed = parseWithNode(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  const faults: FaultRule[] = [];
  try {
    for (const spec of values.fault ?? []) faults.push(...parseFaultRules(parseFaultFlag(spec)));
    if (values.faults !== undefined) faults.push(...parseFaultRules(JSON.parse(values.faults)));
  } catch (error) {
    throw new UsageError(`bad fault rule: ${(error as Error).message}`);
  }
  return {
    port: values.port === undefined ? 4566 : parsePort(values.port),
    host: values.host,
    dataFile: values.data,
    policy: values.policy,
    region: values.region,
    accountId: values['account-id'],
    faults,
    quiet: values.quiet,
    rotator: values.rotator,
  };
}

function parseWithNode(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      policy: { type: 'string' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      fault: { type: 'string', multiple: true },
      faults: { type: 'string' },
      rotator: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got '${text}'`);
  }
  return port;
}

/** `latency:latencyMs=20,operation=GetSecretValue` -> a rule object (validated by the caller). */
export function parseFaultFlag(spec: string): Record<string, unknown> {
  const [kind, rest] = spec.split(/:(.*)/s, 2);
  const rule: Record<string, unknown> = { kind };
  for (const pair of (rest ?? '').split(',').filter(Boolean)) {
    const [key, value] = pair.split('=', 2);
    if (!key || value === undefined) throw new Error(`'${pair}' is not key=value`);
    rule[key] = key === 'operation' ? value : Number(value);
  }
  return rule;
}

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
