/** What a command may touch: the edge of the program, passed in so commands stay testable. */
export interface CliContext {
  cwd: string;
  /** The process environment; the CLI is the app edge, so reading it here is fine. */
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
}

/** Wrong or missing flags: exit 2, with a message that names the flag. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command ran and found something wrong (a failed check, a refused write): exit 1. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
