import { z } from 'zod';

/**
 * Every string in a loaded secret is treated as secret (scrubbed from logs) unless its schema is
 * marked with notSecret(): hosts, ports, user names, issuers. Marking is opt-out on purpose, so a
 * field added without thought is protected.
 */
export const SecretFieldMeta = z.object({ secret: z.boolean() });

export function notSecret<S extends z.ZodType>(schema: S): S {
  return schema.meta({ secret: false }) as S;
}

/** True unless the schema (or the schema it wraps through optional/default/nullable) is marked notSecret. */
export function isSecretField(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  while (current) {
    if (z.globalRegistry.get(current)?.secret === false) return false;
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault
    ) {
      current = current.unwrap() as z.ZodType;
      continue;
    }
    return true;
  }
  return true;
}
