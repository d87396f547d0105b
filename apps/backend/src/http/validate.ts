import type { z } from 'zod';
import { ApiError } from './api-error';

type Where = 'body' | 'query' | 'params';

/**
 * Parses one part of a request with its schema, or throws a 400 naming the first problem:
 * `unknown_field` (strict objects), `required`, `invalid_type` or `invalid_value`, and the field path.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: Where): z.output<S> {
  if (where === 'body' && (value === undefined || value === null || typeof value !== 'object')) {
    throw new ApiError(
      400,
      'invalid_body',
      'the request body must be a JSON object (Content-Type: application/json)',
    );
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? ''].join('.');
    throw new ApiError(400, 'unknown_field', `${where} field ${field} is not allowed`, field);
  }
  const field = path.join('.') || null;
  const missing = issue.code === 'invalid_type' && readPath(value, path) === undefined;
  const code = missing ? 'required' : issue.code === 'invalid_type' ? 'invalid_type' : 'invalid_value';
  const message = missing ? `${where} field ${field} is required` : `${field ?? where}: ${issue.message}`;
  throw new ApiError(400, code, message, field);
}

function readPath(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
