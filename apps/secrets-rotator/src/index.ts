export { RotatorConfigurationError, type RotatorSettings, settingsFromEnvironment } from './config';
export * from './errors';
export { createRotationHandler, type LocalRotationHandler, type LocalRotationOptions } from './local';
export { jsonLineLogger } from './logger';
export { scramSha256Verifier } from './postgres/scram';
export { rotate } from './rotate';
export { generatePassword } from './strategies/postgres-password';
export { generateKey, keyStrength, weakness } from './strategies/random-key';
export * from './types';
