/** Every failure of the migration runner; `migration` names the file when one is to blame. */
export class MigrationError extends Error {
  override readonly name: string = 'MigrationError';
  readonly code: string;
  readonly migration: string | undefined;

  constructor(message: string, options: { code: string; migration?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.migration = options.migration;
  }
}
