/**
 * `npm run dev`: the development stack on this machine. For now it is the local Secrets Manager and
 * SSM endpoint, with the access policy derived from the service manifests and the catalog's dev
 * secrets generated at first run into .dev/ (ignored by git). The services join it as they land.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { start } from '@estate/secrets-local';

const root = resolve(__dirname, '..');
const devDir = join(root, '.dev');
const dataFile = join(devDir, 'secrets-local.json');
const policyFile = join(devDir, 'access-policy.json');
const port = Number(process.env.ESTATE_SECRETS_PORT ?? 4566);
const services = ['backend', 'ai-worker', 'etl'];

/** Runs the CLI as a child; asynchronously, because the endpoint it talks to lives in this process. */
function estateSecrets(args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  const cli = join(root, 'packages/secrets/src/cli/main.ts');
  const child = spawn(process.execPath, ['--conditions=estate-source', '--import', 'tsx', cli, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`estate-secrets ${args[0]} failed (exit ${code}); see its output above`)),
    );
  });
}

async function main(): Promise<void> {
  mkdirSync(devDir, { recursive: true });
  await estateSecrets(['access-policy', '--env', 'dev', '--out', policyFile]);
  const endpoint = await start({ port, dataFile, policy: policyFile });
  const admin = {
    AWS_ENDPOINT_URL: endpoint.url,
    AWS_REGION: 'ap-northeast-2',
    AWS_ACCESS_KEY_ID: 'local-admin',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  try {
    await estateSecrets(['seed', '--env', 'dev'], admin);
  } catch (error) {
    await endpoint.stop();
    throw error;
  }

  console.log(`
Started:
  Secrets Manager + SSM endpoint  ${endpoint.url}   (data: ${relative(root, dataFile)}, policy: ${relative(root, policyFile)})
  Access key ids: local-admin (everything), ${services.map((s) => `local-${s}`).join(', ')} (each its own manifest)

Try:
  AWS_ENDPOINT_URL=${endpoint.url} AWS_ACCESS_KEY_ID=local-backend AWS_SECRET_ACCESS_KEY=local \\
    pnpm --silent estate-secrets check --service backend --env dev

Ctrl-C stops it.`);

  const stop = async () => {
    await endpoint.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`dev: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
