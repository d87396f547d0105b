/**
 * `npm run dev`: the whole platform on this machine. Checks that PostgreSQL, Redis and RabbitMQ
 * answer, starts the local Secrets Manager/SSM endpoint (access policy from the manifests, the
 * rotator in process, dev secrets generated at first run into .dev/), the outside APIs' stand-ins,
 * backend and ai-worker from source, runs the ETL once, and prints what to try. Ctrl-C stops it all.
 * The launcher is @estate/e2e's stack, the same one the system tests start.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  describeMissing,
  missingLocalServers,
  type Stack,
  startStack,
  terminalSink,
} from '@estate/e2e/stack';

const root = resolve(__dirname, '..');
// Overridable so the signal tests can run a whole dev stack beside a developer's own.
const devDir = resolve(root, process.env.ESTATE_DEV_DIR ?? '.dev');
const port = (variable: string, fallback: number) => Number(process.env[variable] ?? fallback);

/** The fixture months the ETL stand-in serves (apps/etl/dev/fixtures). */
const ETL_ARGS = [
  '--from',
  '2024-01',
  '--to',
  '2024-03',
  '--regions',
  '11680,11650',
  '--tables',
  'A_2024_00045',
];

const say = (line: string) => terminalSink('dev', line);

async function main(): Promise<void> {
  const missing = await missingLocalServers();
  if (missing.length > 0) {
    process.stderr.write(`dev: the platform needs these servers first.\n${describeMissing(missing)}\n`);
    process.exit(1);
  }
  mkdirSync(devDir, { recursive: true });

  let stack: Stack | undefined;
  const starting = new AbortController();
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    // A terminal's Ctrl-C reaches dev twice (from the terminal and forwarded by npm): the second
    // must not kill dev half-way through stopping its children.
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    // Still starting: startStack stops what it started and rejects; main exits then.
    if (!stack) return starting.abort();
    await stack.stop();
    say('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

  try {
    stack = await startStack({
      root,
      ports: {
        secrets: port('ESTATE_SECRETS_PORT', 4566),
        openai: port('ESTATE_OPENAI_PORT', 4010),
        kreb: port('ESTATE_RONE_PORT', 4020),
        molit: port('ESTATE_MOLIT_PORT', 4021),
        backend: port('PORT', 3000),
        aiWorker: port('HEALTH_PORT', 3001),
      },
      policyFile: join(devDir, 'access-policy.json'),
      secretsDataFile: join(devDir, 'secrets-local.json'),
      output: terminalSink,
      onStep: say,
      signal: starting.signal,
    });
  } catch (error) {
    if (!stopping) throw error;
    say('stopped');
    process.exit(0);
  }

  say(`running the ETL once: estate-etl run ${ETL_ARGS.join(' ')}`);
  const etlExit = await stack.runEtl([...ETL_ARGS, '--pace-ms', '0']);
  // Stopped during the run: stop() exits once everything is down.
  if (stopping) return;
  say(`ETL exited ${etlExit}${etlExit === 0 ? '' : ' (see its lines above; the services keep running)'}`);

  const api = stack.backendUrl;
  const email = 'dev@estate.localhost';
  const password = 'correct-horse-battery';
  process.stdout.write(`
Estate is running:
  backend     ${api}   (/healthz /readyz /metrics /api/v1/openapi.json)
  ai-worker   ${stack.aiWorkerUrl}   (/healthz /readyz /metrics)
  secrets     ${stack.secretsUrl}   (local-admin; local-backend, local-ai-worker, local-etl: each its manifest)
  stand-ins   OpenAI ${stack.standIns.openai}, R-ONE ${stack.standIns.kreb}, MOLIT ${stack.standIns.molit}

Try:
  curl -s -X POST ${api}/api/v1/auth/register -H 'content-type: application/json' \\
    -d '{"email":"${email}","password":"${password}"}'
  TOKEN=$(curl -s -X POST ${api}/api/v1/auth/login -H 'content-type: application/json' \\
    -d '{"email":"${email}","password":"${password}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
  curl -s -H "authorization: Bearer $TOKEN" '${api}/api/v1/regions/11680/stats?from=2024-01&to=2024-03'
  curl -s -X POST -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"period":"2024-02"}' \\
    ${api}/api/v1/regions/11680/summary
  AWS_ENDPOINT_URL=${stack.secretsUrl} AWS_ACCESS_KEY_ID=local-admin AWS_SECRET_ACCESS_KEY=local AWS_REGION=ap-northeast-2 \\
    pnpm --silent estate-secrets rotate jwt --env dev

Ctrl-C stops everything.
`);
}

main().catch((error: unknown) => {
  process.stderr.write(`dev: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
