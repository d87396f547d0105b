export * from './environment';
export { uniqueName } from './ids';
export * from './postgres';
export { InitdbUnavailableError, type PrivateCluster, startPrivateCluster } from './private-postgres';
export * from './rabbitmq';
export * from './redis';
export { type ProcessResult, runTypeScript } from './run-typescript';
export * from './secrets';
export { freePort, isPortOpen, LOCAL_SERVERS, serverMode, TestServerUnavailableError } from './servers';
