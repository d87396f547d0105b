export type { Caller } from './access-policy';
export { DataFileError, FaultRuleError, PolicyError } from './errors';
export { parseFaultRules } from './faults';
export { start } from './server';
export type {
  AccessPolicy,
  EndpointStats,
  FaultKind,
  FaultRule,
  LocalEndpoint,
  PrincipalGrant,
  RotationEvent,
  RotationHandler,
  StartOptions,
} from './types';
