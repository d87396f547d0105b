export { type DatabaseSettings, ensureDatabase } from './database';
export { describeMissing, type MissingServer, missingLocalServers } from './local-servers';
export { exitOf, spawnFromSource, stopChild } from './node-process';
export { type OutputSink, prefixLines, terminalSink } from './output';
export {
  isAlive,
  killProcesses,
  type LaunchedProcess,
  PROCESS_REGISTRY_VARIABLE,
  registerProcess,
  survivingProcesses,
} from './process-registry';
export { ADMIN_ACCESS_KEY_ID, awsEnvironment, estateSecrets, REGION } from './secrets-endpoint';
export { type RunningService, type Stack, type StackOptions, type StackPorts, startStack } from './stack';
export { type StandIns, startStandIns } from './stand-ins';
