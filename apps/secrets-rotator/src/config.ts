import type { DatabaseSettings } from './types';

export class RotatorConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotatorConfigurationError';
  }
}

export interface RotatorSettings {
  database?: DatabaseSettings;
  masterSecretId?: string;
}

/**
 * The Lambda's settings, from the variables rotation.tf sets: ESTATE_DB_HOST, ESTATE_DB_PORT,
 * ESTATE_DB_NAME, ESTATE_DB_APP_USER (where a first database value points) and
 * ESTATE_DB_MASTER_SECRET_ARN (the role that may ALTER ROLE). None of them is a secret. Database
 * settings are all or nothing; without them only secrets that already have AWSCURRENT rotate.
 */
export function settingsFromEnvironment(variables: NodeJS.ProcessEnv): RotatorSettings {
  const names = ['ESTATE_DB_HOST', 'ESTATE_DB_PORT', 'ESTATE_DB_NAME', 'ESTATE_DB_APP_USER'] as const;
  const given = names.filter((name) => variables[name]);
  let database: DatabaseSettings | undefined;
  if (given.length > 0) {
    const missing = names.filter((name) => !variables[name]);
    if (missing.length > 0) {
      throw new RotatorConfigurationError(`${missing.join(', ')} must be set along with ${given.join(', ')}`);
    }
    const port = Number(variables.ESTATE_DB_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new RotatorConfigurationError(
        `ESTATE_DB_PORT must be a port number (got '${variables.ESTATE_DB_PORT}')`,
      );
    }
    database = {
      host: variables.ESTATE_DB_HOST!,
      port,
      dbname: variables.ESTATE_DB_NAME!,
      username: variables.ESTATE_DB_APP_USER!,
    };
  }
  return { database, masterSecretId: variables.ESTATE_DB_MASTER_SECRET_ARN || undefined };
}
