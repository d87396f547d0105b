import type { LoggerLike } from '@estate/secrets';

type Level = keyof LoggerLike;

/**
 * A logger for `loadSecrets` that writes through the service's logger once it exists. The
 * leak-guard logger is made from the loaded secrets, so it cannot be handed to the load itself; the
 * container keeps the logger it was given for its whole life (refresh failures, rejected versions),
 * so it gets this one, and the lines of the load are held until `attach` (a handful at most).
 */
export class DeferredLogger implements LoggerLike {
  private target: LoggerLike | undefined;
  private readonly held: Array<{ level: Level; object: object; message: string }> = [];

  attach(target: LoggerLike): void {
    this.target = target;
    for (const { level, object, message } of this.held.splice(0)) target[level](object, message);
  }

  info(object: object, message: string): void {
    this.write('info', object, message);
  }

  warn(object: object, message: string): void {
    this.write('warn', object, message);
  }

  error(object: object, message: string): void {
    this.write('error', object, message);
  }

  private write(level: Level, object: object, message: string): void {
    if (this.target) this.target[level](object, message);
    else this.held.push({ level, object, message });
  }
}
