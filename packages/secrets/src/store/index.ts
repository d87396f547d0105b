export { awsErrorName } from '../aws/classify-error';
export {
  isTransientAwsError,
  OAuthTokenRefreshError,
  RuntimeSecretAccessDeniedError,
  RuntimeSecretConflictError,
  RuntimeSecretError,
  RuntimeSecretNameError,
  RuntimeSecretNotFoundError,
  RuntimeSecretValidationError,
} from './errors';
export {
  type OAuthClientOptions,
  OAuthCredential,
  OAuthTokenManager,
  type OAuthTokenManagerOptions,
} from './oauth-token-manager';
export {
  type GetOptions,
  type PutOptions,
  type RuntimeSecretMetadata,
  RuntimeSecretStore,
  type RuntimeSecretStoreOptions,
  type SecretObject,
  type StoreLogger,
} from './runtime-secret-store';
