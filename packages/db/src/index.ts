export { MigrationError } from './errors';
export { MIGRATION_LOCK_KEY, type MigrateOptions, type MigrateResult, migrate } from './migrations/migrate';
export { MIGRATIONS_DIRECTORY, type MigrationFile, readMigrationFiles } from './migrations/migration-files';
