import { z } from 'zod';

/**
 * Schemas for SSM parameter values, which always arrive as strings. They turn the string into
 * the typed value a service uses, and say what is wrong when they cannot.
 */

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** An SSM StringList: comma-separated, blanks dropped, at least one item. */
export const StringList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  )
  .pipe(z.array(z.string()).min(1, 'must list at least one item'));

export const PositiveInteger = z
  .string()
  .regex(/^\d+$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().int().positive());

export const FeatureFlag = z.enum(['on', 'off']).transform((value) => value === 'on');
