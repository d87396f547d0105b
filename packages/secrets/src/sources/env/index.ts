export { EnvSource } from './env-source';
export { parameterVariable, secretVariable } from './variable-names';
