export { SecretsManagerReader } from './secrets-manager-reader';
