export * from './errors';
export { loadSecrets } from './load';
export * from './manifest';
export { type LoadOptions, optionsFromEnvironment } from './options';
export {
  createSecretsLogger,
  MIN_SCRUB_LENGTH,
  REDACTED,
  redact,
  type SensitiveValue,
  type SensitiveValueSource,
  sensitiveValues,
} from './redaction';
export type {
  FetchContext,
  ItemFailure,
  ParameterResult,
  SecretRequest,
  SecretResult,
  SecretSource,
  VersionStage,
} from './sources';
export type {
  ChangeListener,
  GroupHealth,
  GroupOutcome,
  LoggerLike,
  PreviousValueOf,
  RefreshReport,
  Secrets,
  SecretsHealth,
} from './types';
