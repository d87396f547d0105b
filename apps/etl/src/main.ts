import { createSecretsLogger, loadSecrets, optionsFromEnvironment, SecretsError } from '@estate/secrets';
import pino from 'pino';
import { type EtlSecrets, EXIT, runEtl } from './app';
import { parseRunArgs, type RunArgs, USAGE } from './cli/args';
import { EtlError, UsageError } from './errors';
import { manifest } from './secrets';

// Wiring only: configuration enters here (argv, process.env) and flows down as values.
async function main(argv: string[]): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`estate-etl: ${error.message}\n${USAGE}\n`);
    return EXIT.usage;
  }

  let secrets: EtlSecrets;
  try {
    // A one-shot job: no background refresh.
    secrets = await loadSecrets(manifest, {
      ...optionsFromEnvironment(process.env),
      variables: process.env,
      refreshIntervalMs: 0,
    });
  } catch (error) {
    // One line per problem (names, field paths, AWS error names, hints); never a value.
    if (!(error instanceof SecretsError)) throw error;
    process.stderr.write(`estate-etl: ${error.message}\n`);
    return EXIT.failed;
  }
  // Logs go to stderr; stdout carries the summary table.
  const logger = createSecretsLogger(
    secrets,
    { level: secrets.param('logLevel'), base: { service: 'etl' } },
    pino.destination({ fd: 2, sync: true }),
  );
  logger.info({ env: secrets.env, source: secrets.source }, 'secrets loaded');
  try {
    const { exitCode } = await runEtl({ secrets, logger, out: process.stdout }, args);
    return exitCode;
  } catch (error) {
    // EtlError messages name sources, codes and secret names only; anything else by its name.
    const message = error instanceof EtlError ? error.message : `${(error as Error).name}: run failed`;
    logger.error({ error: (error as Error).name }, message);
    process.stderr.write(`estate-etl: ${message}\n`);
    return EXIT.failed;
  } finally {
    secrets.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`estate-etl: ${(error as Error)?.name ?? 'Error'}: unexpected failure\n`);
    process.exitCode = EXIT.failed;
  },
);
