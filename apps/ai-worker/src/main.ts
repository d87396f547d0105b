import { drainOnSigterm, startService } from '@estate/platform';
import { createAiWorker } from './app';
import { manifest } from './secrets';
import { settingsFromEnvironment } from './settings';

// Wiring only: configuration enters here (process.env) and flows down as values.
async function main(): Promise<void> {
  const settings = settingsFromEnvironment(process.env);
  // Exits 1 with one line per problem (never a value) when a secret cannot be loaded.
  const { secrets, logger, registry } = await startService(manifest, process.env, (s) => s.param('logLevel'));

  const worker = await createAiWorker({ secrets, logger, registry, settings });
  // Installed before the health port announces the worker: a SIGTERM that follows the announcement
  // at once must find the handler (without one, the signal's default action kills the process).
  // Past the deadline a running job is left as it is: its lock lapses and another worker takes it
  // as stalled, so it is not lost.
  drainOnSigterm(() => [...worker.shutdownSteps(), { name: 'secrets', close: () => secrets.close() }], {
    deadlineMs: settings.shutdownDeadlineMs,
    logger,
  });
  await worker.listen(settings.healthPort);
}

main().catch((error: unknown) => {
  // Startup failed after the secrets loaded (database, migrations, Redis): the cause, not a value.
  process.stderr.write(
    `ai-worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
