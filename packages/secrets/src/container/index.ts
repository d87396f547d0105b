export { SecretsContainer } from './secrets-container';
