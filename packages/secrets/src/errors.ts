/**
 * Every error this package throws. Messages carry names, ARNs, field paths and AWS error names,
 * never a secret value. `cause` is kept only when it is known to carry no value (AWS SDK errors
 * are sanitised first: see sanitizeAwsError).
 */
export class SecretsError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A manifest that cannot be right: bad group name, duplicate declaration, a default its schema rejects. */
export class ManifestError extends SecretsError {
  constructor(message: string) {
    super('MANIFEST_INVALID', message);
  }
}

/** Configuration entering at the edge (environment name, source, flags) is invalid. */
export class ConfigurationError extends SecretsError {
  constructor(message: string) {
    super('CONFIGURATION_INVALID', message);
  }
}

/** One thing wrong with one secret or parameter, as a line of a startup report. */
export interface LoadProblem {
  /** Secret name (`estate/{env}/{group}`) or parameter name (`/estate/{env}/...`). */
  name: string;
  /** Field path inside the value, e.g. `ssl.ca`, when the problem is a schema violation. */
  fieldPath?: string;
  /** AWS error name (AccessDeniedException, ResourceNotFoundException, ...) or our own kind. */
  errorName: string;
  /** What is wrong, without the value. */
  message: string;
  /** What to do about it: the IAM action and ARN, the KMS key, the seed command. */
  hint?: string;
}

export function formatProblem(problem: LoadProblem): string {
  const where = problem.fieldPath ? `${problem.name} ${problem.fieldPath}` : problem.name;
  const hint = problem.hint ? ` (hint: ${problem.hint})` : '';
  return `${where}: ${problem.errorName}: ${problem.message}${hint}`;
}

/** Startup could not produce every required secret and parameter; one line per problem. */
export class SecretsLoadError extends SecretsError {
  readonly problems: readonly LoadProblem[];

  constructor(service: string, problems: LoadProblem[]) {
    super(
      'SECRETS_LOAD_FAILED',
      `${service}: ${problems.length} secret${problems.length === 1 ? '' : 's'} could not be loaded\n${problems
        .map((p) => `  - ${formatProblem(p)}`)
        .join('\n')}`,
    );
    this.problems = problems;
  }
}

/**
 * One failed AWS call (or per-secret error entry), reduced to what is safe to log: the AWS error
 * name, the HTTP status and AWS's own message for service errors (which name actions and ARNs,
 * never values). The SDK error itself, which can hold a raw response body, is never kept.
 */
export class SourceError extends SecretsError {
  readonly errorName: string;
  readonly httpStatus: number | undefined;

  constructor(errorName: string, message: string, httpStatus?: number) {
    super('SOURCE_ERROR', message);
    this.errorName = errorName;
    this.httpStatus = httpStatus;
  }
}

/** Retries of a retryable failure ran out of time: the overall deadline passed. */
export class RetryDeadlineError extends SecretsError {
  readonly attempts: number;
  readonly elapsedMs: number;
  /** The AWS (or network) error name of the last attempt. */
  readonly lastErrorName: string;

  constructor(operation: string, attempts: number, elapsedMs: number, lastErrorName: string) {
    super(
      'RETRY_DEADLINE',
      `${operation}: gave up after ${attempts} attempt${attempts === 1 ? '' : 's'} in ${Math.round(elapsedMs)} ms: ${lastErrorName}`,
    );
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
    this.lastErrorName = lastErrorName;
  }
}

/** The program asked for something the manifest does not allow: an undeclared key, previous() without keepPrevious. */
export class SecretsUsageError extends SecretsError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
