import { z } from 'zod';
import { isSecretField } from '../catalog/marks';

export interface SensitiveValue {
  /** Where it came from, e.g. `database.password`; used in `[redacted:database.password]`. */
  label: string;
  value: string;
}

/**
 * Every string leaf of a secret value whose schema is not marked notSecret, walking the zod shape
 * beside the value; a field the walk cannot find in the schema counts as secret. A URL with a
 * password also yields the password alone (and decoded), as a log line may show it without the URL.
 */
export function sensitiveValues(
  schema: z.ZodType | undefined,
  value: unknown,
  label: string,
): SensitiveValue[] {
  if (schema && !isSecretField(schema)) return [];
  if (typeof value === 'string') return stringValues(value, label);
  if (value instanceof Uint8Array) return [{ label, value: Buffer.from(value).toString('base64') }];
  if (value === null || typeof value !== 'object') return [];
  const inner = schema ? unwrap(schema) : undefined;
  if (Array.isArray(value)) {
    const element = inner instanceof z.ZodArray ? (inner.element as z.ZodType) : undefined;
    return value.flatMap((item, index) => sensitiveValues(element, item, `${label}.${index}`));
  }
  const shape = inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : {};
  return Object.entries(value).flatMap(([key, field]) =>
    sensitiveValues(shape[key], field, `${label}.${key}`),
  );
}

function stringValues(value: string, label: string): SensitiveValue[] {
  const found: SensitiveValue[] = [{ label, value }];
  if (!URL.canParse(value)) return found;
  const { password } = new URL(value);
  if (password) {
    found.push({ label: `${label}.password`, value: password });
    const decoded = safeDecode(password);
    if (decoded !== password) found.push({ label: `${label}.password`, value: decoded });
  }
  return found;
}

/** Looks through optional, nullable, default, readonly and pipe wrappers to the object or array inside. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 10; depth += 1) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodReadonly
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.out as z.ZodType;
    } else {
      return current;
    }
  }
  return current;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
