import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationError } from '../errors';

export interface MigrationFile {
  /** The file name, e.g. `0001_accounts.sql`: what schema_migrations records. */
  name: string;
  version: number;
  sql: string;
  /** sha256 of the file, to notice a migration edited after it was applied. */
  checksum: string;
}

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** The migrations folder of this package; the same path from src/ and from dist/. */
export const MIGRATIONS_DIRECTORY = join(__dirname, '..', '..', 'migrations');

/** The `NNNN_name.sql` files of a folder, in order; any other .sql name or a repeated number is an error. */
export function readMigrationFiles(directory: string = MIGRATIONS_DIRECTORY): MigrationFile[] {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  const seen = new Map<number, string>();
  return files.map((name) => {
    const match = FILE_NAME.exec(name);
    if (!match) {
      throw new MigrationError(`migration file ${name} must be named NNNN_lower_snake_name.sql`, {
        code: 'bad_file_name',
        migration: name,
      });
    }
    const version = Number(match[1]);
    const other = seen.get(version);
    if (other) {
      throw new MigrationError(`migrations ${other} and ${name} share the number ${match[1]}`, {
        code: 'duplicate_version',
        migration: name,
      });
    }
    seen.set(version, name);
    const sql = readFileSync(join(directory, name), 'utf8');
    return { name, version, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}
