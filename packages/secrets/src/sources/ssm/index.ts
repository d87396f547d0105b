export { PARAMETERS_LIMIT, ParameterReader } from './parameter-reader';
