import { drainOnSigterm, shutdownDeadlineFromEnvironment, startService } from '@estate/platform';
import { createBackend } from './app';
import { manifest } from './secrets';

// Wiring only: configuration enters here (process.env) and flows down as values.
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const deadlineMs = shutdownDeadlineFromEnvironment(process.env);
  // Exits 1 with one line per problem (never a value) when a secret cannot be loaded.
  const { secrets, logger, registry } = await startService(manifest, process.env, (s) => s.param('logLevel'));

  const backend = await createBackend({ secrets, logger, registry, settings: { trustProxy: 1 } });
  // Installed before the port is announced: a SIGTERM that follows "listening" at once must find
  // the handler (without one, the signal's default action kills the process mid-request).
  drainOnSigterm(() => [...backend.shutdownSteps(), { name: 'secrets', close: () => secrets.close() }], {
    deadlineMs,
    logger,
  });
  await backend.listen(port);
}

main().catch((error: unknown) => {
  // Startup failed after the secrets loaded (database, migrations, broker): the cause, not a value.
  process.stderr.write(
    `backend failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
