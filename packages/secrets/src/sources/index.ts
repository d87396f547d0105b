export { type AwsCredentials, AwsSource } from './aws-source';
export { EnvSource, parameterVariable, secretVariable } from './env';
export type {
  FetchContext,
  ItemFailure,
  ParameterResult,
  SecretRequest,
  SecretResult,
  SecretSource,
  VersionStage,
} from './source';
