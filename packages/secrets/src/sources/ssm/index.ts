export { ParameterReader } from './parameter-reader';
