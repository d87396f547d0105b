import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { Scrubber } from './scrubber';
import type { SensitiveValue } from './sensitive-values';

/** What the leak guard needs from a container: every loaded sensitive value, current and previous. */
export interface SensitiveValueSource {
  secretValues(): readonly SensitiveValue[];
}

/**
 * A pino logger whose every serialized line has every loaded sensitive value replaced by
 * `[redacted:group.field]`. It works on the final line (hooks.streamWrite), so it covers msg, any
 * field, nested objects and err.stack alike, and it follows refreshes: the values are read from
 * the container, which rebuilds that list when a value changes.
 */
export function createSecretsLogger(
  secrets: SensitiveValueSource,
  options: LoggerOptions = {},
  destination?: DestinationStream,
): Logger {
  const scrubber = new Scrubber(() => secrets.secretValues());
  const own = options.hooks?.streamWrite;
  const hooks = {
    ...options.hooks,
    streamWrite: (line: string) => scrubber.scrub(own ? own(line) : line),
  };
  return destination ? pino({ ...options, hooks }, destination) : pino({ ...options, hooks });
}
