import type { RotationLogger } from './types';

/**
 * One JSON line per event on stdout (CloudWatch Logs in Lambda). Callers pass names, ids, stages
 * and codes only; the rotator never hands a value to its logger.
 */
export function jsonLineLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
): RotationLogger {
  const emit = (level: string) => (fields: Record<string, unknown>, message: string) =>
    write(`${JSON.stringify({ level, time: new Date().toISOString(), ...fields, msg: message })}\n`);
  return { info: emit('info'), warn: emit('warn') };
}
