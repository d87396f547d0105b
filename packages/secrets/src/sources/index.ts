export { type AwsCredentials, AwsSource, type AwsSourceOptions } from './aws-source';
export { EnvSource, type EnvSourceOptions, parameterVariable, secretVariable } from './env';
export type {
  FetchContext,
  ItemFailure,
  ParameterResult,
  SecretRequest,
  SecretResult,
  SecretSource,
  VersionStage,
} from './source';
