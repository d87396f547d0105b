import type { LoadProblem } from '../errors';
import type { SecretDeclaration } from '../manifest';
import type { SecretResult } from '../sources';
import { validationProblems } from './zod-problems';

export type Parsed = { ok: true; value: unknown } | { ok: false; problems: LoadProblem[] };

type FetchedSecret = Extract<SecretResult, { ok: true }>;

/**
 * Turns a fetched secret into its schema's output. JSON errors are reported without the parser's
 * message, which quotes the text it choked on.
 */
export function parseSecret(declaration: SecretDeclaration, fetched: FetchedSecret): Parsed {
  const input = declaration.format === 'binary' ? binaryOf(fetched) : jsonOf(fetched);
  if (!input.ok)
    return { ok: false, problems: [{ name: fetched.name, errorName: 'ParseError', message: input.message }] };
  const checked = declaration.schema.safeParse(input.value);
  if (!checked.success) return { ok: false, problems: validationProblems(fetched.name, checked.error) };
  return { ok: true, value: checked.data };
}

type Input = { ok: true; value: unknown } | { ok: false; message: string };

function jsonOf(fetched: FetchedSecret): Input {
  if (fetched.secretString === undefined) {
    return {
      ok: false,
      message: 'the secret has no SecretString (stored as binary?); declare format: binary or store JSON',
    };
  }
  try {
    return { ok: true, value: JSON.parse(fetched.secretString) };
  } catch {
    return {
      ok: false,
      message: 'SecretString is not valid JSON (the catalog stores one JSON object per group)',
    };
  }
}

function binaryOf(fetched: FetchedSecret): Input {
  if (fetched.secretBinary) return { ok: true, value: Buffer.from(fetched.secretBinary) };
  if (fetched.secretString !== undefined)
    return { ok: true, value: Buffer.from(fetched.secretString, 'base64') };
  return { ok: false, message: 'the secret has neither SecretBinary nor SecretString' };
}
