import { parseArgs } from 'node:util';
import { type Environment, parseEnvironment } from '@estate/secrets';
import { UsageError } from './context';

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;
/** parseArgs' result for single-valued string and boolean flags (node's own types are not exported). */
export interface ParsedCommand<O extends Options> {
  values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };
  positionals: string[];
}

/** Flags every AWS-facing command takes. */
export const AWS_OPTIONS = {
  region: { type: 'string' },
  endpoint: { type: 'string' },
} as const satisfies Options;

export const MANIFEST_OPTIONS = {
  service: { type: 'string' },
  manifest: { type: 'string' },
} as const satisfies Options;

/** node:util parseArgs, strict, with its errors turned into usage errors that name the command. */
export function parseCommand<O extends Options>(
  command: string,
  args: string[],
  options: O,
  positionals = 0,
): ParsedCommand<O> {
  let parsed: ParsedCommand<O>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as ParsedCommand<O>;
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(
      `${command}: unexpected argument ${JSON.stringify(parsed.positionals[positionals])}`,
    );
  }
  return parsed;
}

export function requireFlag(command: string, flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`${command}: --${flag} is required`);
  return value;
}

export function envFlag(command: string, value: string | undefined): Environment {
  try {
    return parseEnvironment(requireFlag(command, 'env', value), '--env');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}
