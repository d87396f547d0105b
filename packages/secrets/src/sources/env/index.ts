export { EnvSource, type EnvSourceOptions } from './env-source';
export { parameterVariable, secretVariable } from './variable-names';
