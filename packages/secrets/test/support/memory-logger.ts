import type { LoggerLike } from '../../src';

/** A LoggerLike that keeps every call, serialized, for assertions and leak checks. */
export function memoryLogger() {
  const lines: string[] = [];
  const entries: Array<{ level: string; object: object; message: string }> = [];
  const write = (level: string) => (object: object, message: string) => {
    entries.push({ level, object, message });
    lines.push(JSON.stringify({ level, ...object, msg: message }));
  };
  const logger: LoggerLike = { info: write('info'), warn: write('warn'), error: write('error') };
  return { logger, lines, entries, text: () => lines.join('\n') };
}
