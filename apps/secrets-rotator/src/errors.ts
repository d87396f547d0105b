/**
 * Every error the rotator throws. Messages carry the secret name, the step, version ids, AWS error
 * names and SQLSTATE codes: never a value, a password or a key. Driver errors are not kept as
 * `cause` (a driver may quote its input); their code is kept instead.
 */
export type RotationErrorCode =
  | 'SECRET_NAME'
  | 'ROTATION_NOT_CONFIGURED'
  | 'UNKNOWN_STRATEGY'
  | 'ROTATION_DISABLED'
  | 'VERSION_NOT_PENDING'
  | 'MISSING_VALUE'
  | 'INVALID_VALUE'
  | 'DATABASE_UNREACHABLE'
  | 'DATABASE_AUTHENTICATION'
  | 'DATABASE_STATEMENT'
  | 'WEAK_KEY'
  | 'UNKNOWN_STEP';

export class RotationError extends Error {
  constructor(
    readonly code: RotationErrorCode,
    message: string,
    readonly secretName?: string,
  ) {
    super(message);
    this.name = 'RotationError';
  }
}

/** The secret is not named `estate/{env}/{group}`, so no catalog entry can be found for it. */
export class SecretNameError extends RotationError {
  constructor(secretName: string) {
    super('SECRET_NAME', `${secretName} is not named estate/{env}/{group}`, secretName);
    this.name = 'SecretNameError';
  }
}

/** The group is unknown to the catalog, or its catalog entry has no `rotation`. */
export class RotationNotConfiguredError extends RotationError {
  constructor(secretName: string, group: string, known: boolean) {
    super(
      'ROTATION_NOT_CONFIGURED',
      known
        ? `${secretName}: catalog group '${group}' has no rotation strategy (set rotation in packages/secrets/src/catalog/catalog.ts)`
        : `${secretName}: '${group}' is not a catalog group`,
      secretName,
    );
    this.name = 'RotationNotConfiguredError';
  }
}

export class UnknownStrategyError extends RotationError {
  constructor(
    secretName: string,
    readonly strategy: string,
    supported: readonly string[],
  ) {
    super(
      'UNKNOWN_STRATEGY',
      `${secretName}: rotation strategy '${strategy}' is not one of ${supported.join(', ')}`,
      secretName,
    );
    this.name = 'UnknownStrategyError';
  }
}

/** DescribeSecret says RotationEnabled is false: rotation was cancelled or never configured. */
export class RotationDisabledError extends RotationError {
  constructor(secretName: string) {
    super(
      'ROTATION_DISABLED',
      `${secretName}: rotation is not enabled for this secret (RotateSecret or aws_secretsmanager_secret_rotation enables it)`,
      secretName,
    );
    this.name = 'RotationDisabledError';
  }
}

/** The event's token names a version that is neither AWSPENDING nor already AWSCURRENT. */
export class VersionNotPendingError extends RotationError {
  constructor(
    secretName: string,
    readonly versionId: string,
    stages: readonly string[] | undefined,
  ) {
    super(
      'VERSION_NOT_PENDING',
      stages === undefined
        ? `${secretName}: version ${versionId} does not exist, so it cannot be rotated to`
        : `${secretName}: version ${versionId} is not AWSPENDING (stages: ${stages.join(', ') || 'none'}), so it cannot be rotated to`,
      secretName,
    );
    this.name = 'VersionNotPendingError';
  }
}

/** A value the step needs is missing (e.g. no AWSCURRENT and no settings to build a first value from). */
export class MissingValueError extends RotationError {
  constructor(secretName: string, what: string) {
    super('MISSING_VALUE', `${secretName}: ${what}`, secretName);
    this.name = 'MissingValueError';
  }
}

/** A value is not JSON or fails the catalog schema; `fieldPaths` names the fields, never their content. */
export class InvalidValueError extends RotationError {
  constructor(
    secretName: string,
    which: string,
    readonly fieldPaths: readonly string[],
  ) {
    super(
      'INVALID_VALUE',
      `${secretName}: ${which} is invalid${fieldPaths.length > 0 ? ` at ${fieldPaths.join(', ')}` : ''}`,
      secretName,
    );
    this.name = 'InvalidValueError';
  }
}

/** PostgreSQL could not be reached, refused every credential, or refused the statement. */
export class DatabaseRotationError extends RotationError {
  constructor(
    code: 'DATABASE_UNREACHABLE' | 'DATABASE_AUTHENTICATION' | 'DATABASE_STATEMENT',
    secretName: string,
    message: string,
    /** SQLSTATE (e.g. 28P01) or the network error code (e.g. ECONNREFUSED). */
    readonly sqlState?: string,
  ) {
    super(code, `${secretName}: ${message}${sqlState ? ` (${sqlState})` : ''}`, secretName);
    this.name = 'DatabaseRotationError';
  }
}

/** testSecret of a random key: too short, too little entropy, or equal to AWSCURRENT. */
export class WeakKeyError extends RotationError {
  constructor(secretName: string, reason: string) {
    super('WEAK_KEY', `${secretName}: the pending key ${reason}`, secretName);
    this.name = 'WeakKeyError';
  }
}

export class UnknownStepError extends RotationError {
  constructor(step: string) {
    super(
      'UNKNOWN_STEP',
      `step ${JSON.stringify(step)} is not createSecret, setSecret, testSecret or finishSecret`,
    );
    this.name = 'UnknownStepError';
  }
}
