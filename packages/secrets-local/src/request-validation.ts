import type { z } from 'zod';
import { AwsServiceError, constraintViolation } from './errors';

/** Fields whose values AWS leaves out of validation messages. */
const SENSITIVE_FIELDS = new Set(['SecretString', 'SecretBinary', 'Value']);

type Issue = z.core.$ZodIssue & { input?: unknown };

/**
 * Parses a request body with a zod schema and answers the way the AWS JSON services do:
 * wrong JSON types are a SerializationException, model constraints (required, length, range,
 * enum) are one ValidationException listing every violation.
 */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AwsServiceError(
      'SerializationException',
      'Start of structure or map found where not expected.',
    );
  }
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return result.data;

  const issues = result.error.issues as Issue[];
  const wrongType = issues.find((issue) => issue.code === 'invalid_type' && issue.input !== undefined);
  if (wrongType) {
    throw new AwsServiceError(
      'SerializationException',
      `Unexpected value type for '${memberPath(wrongType.path)}': expected ${(wrongType as { expected: string }).expected}.`,
    );
  }
  throw constraintViolation(issues.map(describeIssue));
}

function describeIssue(issue: Issue): string {
  const at = `at '${memberPath(issue.path)}'`;
  const top = issue.path[0];
  const value =
    typeof top === 'string' && SENSITIVE_FIELDS.has(top) ? 'Value' : `Value ${display(issue.input)}`;
  switch (issue.code) {
    case 'invalid_type':
      return `Value null ${at} failed to satisfy constraint: Member must not be null`;
    case 'too_big': {
      const kind = issue.origin === 'number' || issue.origin === 'int' ? 'value' : 'length';
      return `${value} ${at} failed to satisfy constraint: Member must have ${kind} less than or equal to ${issue.maximum}`;
    }
    case 'too_small': {
      const kind = issue.origin === 'number' || issue.origin === 'int' ? 'value' : 'length';
      return `${value} ${at} failed to satisfy constraint: Member must have ${kind} greater than or equal to ${issue.minimum}`;
    }
    case 'invalid_value':
      return `${value} ${at} failed to satisfy constraint: Member must satisfy enum value set: [${issue.values.join(', ')}]`;
    default:
      return `${value} ${at} failed to satisfy constraint: ${issue.message}`;
  }
}

/** `SecretIdList` -> `secretIdList`, `Filters[0].Values` -> `filters.1.member.values`. */
function memberPath(path: PropertyKey[]): string {
  return path
    .map((part) =>
      typeof part === 'number'
        ? `${part + 1}.member`
        : String(part).charAt(0).toLowerCase() + String(part).slice(1),
    )
    .join('.');
}

function display(input: unknown): string {
  if (input === undefined || input === null) return 'null';
  if (Array.isArray(input)) return `'[${input.map((item) => String(item)).join(', ')}]'`;
  return `'${String(input)}'`;
}
