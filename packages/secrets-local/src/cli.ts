import { parseCliArgs, USAGE, UsageError, wantsHelp } from './cli-args';
import { start } from './server';

/** `estate-secrets-local`: exit 2 on bad flags, 1 on a startup error, 0 after SIGINT/SIGTERM. */
async function main(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) {
    console.log(USAGE);
    return;
  }
  let options: ReturnType<typeof parseCliArgs>;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`estate-secrets-local: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  let endpoint: Awaited<ReturnType<typeof start>>;
  try {
    endpoint = await start(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE' ? `port ${options.port} is already in use` : (error as Error).message;
    console.error(`estate-secrets-local: cannot start: ${reason}`);
    process.exitCode = 1;
    return;
  }
  const data = options.dataFile ? `data file ${options.dataFile}` : 'in-memory store (no --data)';
  console.log(`estate-secrets-local listening on ${endpoint.url} (${data})`);

  const shutdown = (signal: string) => {
    if (!options.quiet) console.log(`estate-secrets-local: ${signal}, stopping`);
    endpoint.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`estate-secrets-local: stop failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`estate-secrets-local: ${(error as Error).message}`);
  process.exitCode = 1;
});
