import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type CliOptions, parseCliArgs, USAGE, UsageError, wantsHelp } from './cli-args';
import { start } from './server';
import type { RotationHandler } from './types';

type RotationHandlerFactory = (options: { endpoint: string; region?: string }) => RotationHandler;

/**
 * `--rotator MODULE`: the rotation function in process, loaded by path so this package does not
 * depend on the rotator (which depends on @estate/secrets, whose tests use this package). The
 * factory gets the endpoint's URL once it listens.
 */
function rotationHandlerFrom(options: CliOptions, url: () => string): RotationHandler | undefined {
  if (options.rotator === undefined) return undefined;
  const load = createRequire(join(process.cwd(), 'noop.js'));
  const factory = (load(options.rotator) as { createRotationHandler?: RotationHandlerFactory })
    .createRotationHandler;
  if (typeof factory !== 'function') {
    throw new Error(`--rotator ${options.rotator} does not export createRotationHandler`);
  }
  let handler: RotationHandler | undefined;
  return (event) => {
    handler ??= factory({ endpoint: url(), region: options.region });
    return handler(event);
  };
}

/** `estate-secrets-local`: exit 2 on bad flags, 1 on a startup error, 0 after SIGINT/SIGTERM. */
async function main(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) {
    console.log(USAGE);
    return;
  }
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`estate-secrets-local: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  let endpoint: Awaited<ReturnType<typeof start>> | undefined;
  try {
    const rotationHandler = rotationHandlerFrom(options, () => endpoint!.url);
    const { rotator: _rotator, ...startOptions } = options;
    endpoint = await start({ ...startOptions, rotationHandler });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE' ? `port ${options.port} is already in use` : (error as Error).message;
    console.error(`estate-secrets-local: cannot start: ${reason}`);
    process.exitCode = 1;
    return;
  }
  const running = endpoint;
  const data = options.dataFile ? `data file ${options.dataFile}` : 'in-memory store (no --data)';
  const rotation = options.rotator ? `, rotation through ${options.rotator}` : '';
  console.log(`estate-secrets-local listening on ${running.url} (${data}${rotation})`);

  const shutdown = (signal: string) => {
    if (!options.quiet) console.log(`estate-secrets-local: ${signal}, stopping`);
    running.stop().then(
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
