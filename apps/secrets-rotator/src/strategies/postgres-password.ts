import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { DatabaseRotationError, InvalidValueError, MissingValueError } from '../errors';
import {
  connect,
  credentialsOf,
  errorCodeOf,
  isAuthenticationFailure,
  type PostgresCredentials,
} from '../postgres/connection';
import { scramSha256Verifier } from '../postgres/scram';
import { AWSCURRENT, type SecretObject, SecretVersions } from '../secret-versions';
import type { RotationStrategy, RotationTarget, StageValues } from './strategy';

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** 256 random bits as base64url: 43 characters, nothing to escape in a URL or a connection string. */
export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * PostgreSQL role passwords (single-user scheme): the role's password changes with ALTER ROLE;
 * until finishSecret moves AWSCURRENT, consumers holding the old password reconnect after a 28P01
 * by forcing a refresh (docs/architecture.md, the life of a secret).
 */
export const postgresPasswordStrategy: RotationStrategy = {
  createValue(current: SecretObject | undefined, target: RotationTarget): SecretObject {
    if (current !== undefined) return { ...current, password: generatePassword() };
    const settings = target.deps.database;
    if (settings === undefined) {
      throw new MissingValueError(
        target.secretName,
        'has no AWSCURRENT and no database settings (ESTATE_DB_HOST, ESTATE_DB_PORT, ESTATE_DB_NAME, ESTATE_DB_APP_USER) to build the first value from',
      );
    }
    return { ...settings, password: generatePassword() };
  },

  async setValue(values: StageValues, target: RotationTarget): Promise<void> {
    const pending = credentialsOf(values.pending);
    const timeoutMs = target.deps.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    if (await alreadyAccepted(pending, target, timeoutMs)) {
      target.logger.info({ secret: target.secretName }, 'setSecret: the database already accepts AWSPENDING');
      return;
    }
    const admin = await adminConnection(values, pending, target, timeoutMs);
    try {
      // ALTER ROLE takes no bind parameters: the identifier and the literal are escaped by the driver,
      // and the literal is the SCRAM verifier, so the plaintext never reaches the server or its logs.
      await admin.query(
        `ALTER ROLE ${admin.escapeIdentifier(pending.username)} WITH PASSWORD ${admin.escapeLiteral(scramSha256Verifier(pending.password))}`,
      );
    } catch (error) {
      throw new DatabaseRotationError(
        'DATABASE_STATEMENT',
        target.secretName,
        `ALTER ROLE for ${pending.username} failed`,
        errorCodeOf(error),
      );
    } finally {
      await admin.end().catch(() => {});
    }
    target.logger.info({ secret: target.secretName, role: pending.username }, 'setSecret: password changed');
  },

  async testValue(values: StageValues, target: RotationTarget): Promise<void> {
    const pending = credentialsOf(values.pending);
    let client: Client;
    try {
      client = await connect(pending, target.deps.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    } catch (error) {
      throw databaseError(target, `cannot connect as ${pending.username} with AWSPENDING`, error);
    }
    try {
      await client.query('SELECT 1');
    } catch (error) {
      throw new DatabaseRotationError(
        'DATABASE_STATEMENT',
        target.secretName,
        'SELECT 1 with AWSPENDING failed',
        errorCodeOf(error),
      );
    } finally {
      await client.end().catch(() => {});
    }
  },
};

/** True when the pending password already works (a retried setSecret); false on an authentication failure. */
async function alreadyAccepted(
  pending: PostgresCredentials,
  target: RotationTarget,
  timeoutMs: number,
): Promise<boolean> {
  try {
    const client = await connect(pending, timeoutMs);
    await client.end().catch(() => {});
    return true;
  } catch (error) {
    if (isAuthenticationFailure(errorCodeOf(error))) return false;
    throw databaseError(target, `cannot reach ${pending.host}:${pending.port}`, error);
  }
}

/**
 * A connection allowed to change the role's password: the master secret's role when configured,
 * else the role itself with AWSCURRENT, falling back to AWSPREVIOUS when AWSCURRENT no longer
 * authenticates (a setSecret that changed the password and then failed before finishSecret).
 */
async function adminConnection(
  values: StageValues,
  pending: PostgresCredentials,
  target: RotationTarget,
  timeoutMs: number,
): Promise<Client> {
  const masterSecretId = target.deps.masterSecretId;
  if (masterSecretId !== undefined) {
    const master = await new SecretVersions(target.deps.client, masterSecretId, 'the master secret').read(
      AWSCURRENT,
    );
    if (typeof master?.username !== 'string' || typeof master.password !== 'string') {
      throw new InvalidValueError(target.secretName, 'the master secret', ['username', 'password']);
    }
    const credentials = { ...pending, username: master.username, password: master.password };
    try {
      return await connect(credentials, timeoutMs);
    } catch (error) {
      throw databaseError(target, 'cannot connect with the master secret', error);
    }
  }

  const candidates: Array<[string, SecretObject | undefined]> = [
    ['AWSCURRENT', values.current],
    ['AWSPREVIOUS', values.previous],
  ];
  let lastError: unknown;
  for (const [stage, value] of candidates) {
    if (value === undefined) continue;
    const credentials = credentialsOf(value);
    if (credentials.username !== pending.username || credentials.host !== pending.host) {
      throw new InvalidValueError(target.secretName, `AWSPENDING names another role or host than ${stage}`, [
        'username',
        'host',
      ]);
    }
    try {
      return await connect({ ...pending, password: credentials.password }, timeoutMs);
    } catch (error) {
      if (!isAuthenticationFailure(errorCodeOf(error))) {
        throw databaseError(target, `cannot connect with ${stage}`, error);
      }
      target.logger.warn(
        { secret: target.secretName, stage, code: errorCodeOf(error) },
        `setSecret: ${stage} no longer authenticates`,
      );
      lastError = error;
    }
  }
  throw databaseError(
    target,
    `neither AWSCURRENT nor AWSPREVIOUS authenticates as ${pending.username}`,
    lastError,
    'DATABASE_AUTHENTICATION',
  );
}

function databaseError(
  target: RotationTarget,
  message: string,
  error: unknown,
  code?: 'DATABASE_AUTHENTICATION',
): DatabaseRotationError {
  const sqlState = errorCodeOf(error);
  const kind =
    code ?? (isAuthenticationFailure(sqlState) ? 'DATABASE_AUTHENTICATION' : 'DATABASE_UNREACHABLE');
  return new DatabaseRotationError(kind, target.secretName, message, sqlState);
}
