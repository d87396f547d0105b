export { type CliContext, EXIT, UsageError } from './context';
export { run, USAGE } from './run';
