import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { settingsFromEnvironment } from './config';
import { jsonLineLogger } from './logger';
import { rotate } from './rotate';
import { ROTATION_STEPS, type RotationStep } from './types';

export const USAGE = `Usage: estate-secrets-rotator <secret-id> [--step <step>] [--token <version id>] [--endpoint <url>] [--region <region>] [--quiet]

Runs the rotation function against any Secrets Manager endpoint, as Secrets Manager would invoke it.
Without --step, runs createSecret, setSecret, testSecret and finishSecret in order under one token
(a new UUID unless --token is given; pass the same token to resume a failed rotation).
The secret must have rotation enabled (RotateSecret, or aws_secretsmanager_secret_rotation).

  --step       createSecret | setSecret | testSecret | finishSecret
  --endpoint   default: AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL, else AWS
  --region     default: AWS_REGION, else ap-northeast-2
Database settings for a first database value: ESTATE_DB_HOST, ESTATE_DB_PORT, ESTATE_DB_NAME,
ESTATE_DB_APP_USER; ESTATE_DB_MASTER_SECRET_ARN to change the password as the master role.

Exit codes: 0 done, 1 a step failed, 2 usage error. Never prints a value.`;

export interface CliContext {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
}

/** One CLI invocation; returns the exit code. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    ctx.out(`${USAGE}\n`);
    return 0;
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    ctx.err(`estate-secrets-rotator: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { secretId, steps, token, endpoint, region, quiet } = parsed;
  const client = new SecretsManagerClient({ region, endpoint });
  const logger = quiet ? undefined : jsonLineLogger(ctx.out);
  let step: RotationStep | undefined;
  try {
    const deps = { client, ...settingsFromEnvironment(ctx.env), logger };
    for (step of steps) await rotate({ SecretId: secretId, ClientRequestToken: token, Step: step }, deps);
    ctx.out(`${JSON.stringify({ secretId, versionId: token, steps })}\n`);
    return 0;
  } catch (error) {
    const { name, message } = error as Error;
    ctx.err(
      `estate-secrets-rotator: ${step ?? 'setup'} failed for ${secretId} (version ${token}): ${name}: ${message}\n`,
    );
    return 1;
  } finally {
    client.destroy();
  }

  function parse(args: string[]) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        step: { type: 'string' },
        token: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        quiet: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new Error('exactly one secret id (name or ARN) is required');
    if (values.step !== undefined && !(ROTATION_STEPS as readonly string[]).includes(values.step)) {
      throw new Error(`--step must be one of ${ROTATION_STEPS.join(', ')} (got '${values.step}')`);
    }
    return {
      secretId: positionals[0]!,
      steps: values.step === undefined ? [...ROTATION_STEPS] : [values.step as RotationStep],
      token: values.token ?? randomUUID(),
      endpoint: values.endpoint,
      region: values.region ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? 'ap-northeast-2',
      quiet: values.quiet === true,
    };
  }
}
