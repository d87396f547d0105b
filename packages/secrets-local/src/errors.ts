/** An error answered to the client in the AWS JSON 1.1 error shape. */
export class AwsServiceError extends Error {
  override readonly name = 'AwsServiceError';
  constructor(
    /** The AWS error name, sent as `__type` and `x-amzn-ErrorType`. */
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

export const notFoundSecret = () =>
  new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

export const markedForDeletion = () =>
  new AwsServiceError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );

export const invalidParameter = (message: string) =>
  new AwsServiceError('InvalidParameterException', message);

export const invalidRequest = (message: string) => new AwsServiceError('InvalidRequestException', message);

export const validationError = (message: string) => new AwsServiceError('ValidationException', message);

/** AWS's model-constraint message: "1 validation error detected: Value ... at 'field' failed to satisfy constraint: ...". */
export function constraintViolation(violations: string[]): AwsServiceError {
  const n = violations.length;
  return validationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`);
}

/** A data file that cannot be used: the endpoint refuses to start and never touches the file. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  readonly code = 'DATA_FILE_INVALID';
  constructor(
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`data file ${file}: ${problem}`, options);
  }
}

/** A policy (object or file) that cannot be used. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly code = 'POLICY_INVALID';
  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`access policy ${source}: ${problem}`, options);
  }
}

/** A fault rule that is not of the documented shape. */
export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError';
  readonly code = 'FAULT_RULE_INVALID';
}
