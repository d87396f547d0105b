export { BATCH_LIMIT, SecretsManagerReader } from './secrets-manager-reader';
