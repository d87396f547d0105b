import type { z } from 'zod';
import type { LoadProblem } from '../errors';

/**
 * Schema violations as problem lines: field path and zod's message. zod 4 only puts the input into
 * an issue when asked (reportInput), and we never ask, so no value travels from here.
 */
export function validationProblems(name: string, error: z.ZodError): LoadProblem[] {
  return error.issues.map((issue) => ({
    name,
    ...(issue.path.length > 0 ? { fieldPath: issue.path.map(String).join('.') } : {}),
    errorName: 'ValidationError',
    message: issue.message,
  }));
}
