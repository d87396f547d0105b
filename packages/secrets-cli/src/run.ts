import { ConfigurationError } from '@estate/secrets';
import { accessPolicyCommand } from './access-policy';
import { checkCommand } from './check';
import { type CliContext, CommandFailedError, EXIT, UsageError } from './context';
import { policyCommand } from './policy';
import { rotateCommand } from './rotate';
import { seedCommand } from './seed';

export const USAGE = `Usage: estate-secrets <command> [flags]

Commands:
  check --service <name> --env <env> [--json]
      Load every declared secret and parameter as the service would; a table, exit 1 on any failure.
  seed --env dev [--from <.env file>] [--force-regenerate] [--parameters] [--json]
      Create the catalog's secrets: dev values generated once, or values from ESTATE_SECRET_<GROUP>
      in a .env file (required for staging and production). Never prints a value.
  policy --service <name> --env <env> --account-id <12 digits> [--kms-key-arn <arn>] [--secure-string-parameters]
      The least-privilege IAM policy JSON for the service.
  policy --all --env <env>
      Which service role may read which secret and parameter, as a markdown table.
  access-policy --env <env> [--out <file>]
      The @estate/secrets-local access policy for every service under apps/.
  rotate <group> --env <env> [--lambda-arn <arn>] [--json]
      Start a rotation (RotateSecret, RotateImmediately); prints the new version id.

Common flags:
  --service <name>     a service with apps/<name>/src/secrets.ts (or dist/secrets.js) in the workspace
  --manifest <file>    a manifest module exporting \`manifest\` (overrides --service discovery)
  --env <env>          dev, staging or production
  --region <region>    default: AWS_REGION, else ap-northeast-2
  --endpoint <url>     default: AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_SSM
  -h, --help

Exit codes: 0 ok, 1 check or operation failed, 2 usage error.
`;

const COMMANDS: Record<string, (args: string[], ctx: CliContext) => Promise<number>> = {
  check: checkCommand,
  seed: seedCommand,
  policy: policyCommand,
  'access-policy': accessPolicyCommand,
  rotate: rotateCommand,
};

/** Runs one CLI invocation and returns its exit code; prints errors without values. */
export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? ctx.err : ctx.out)(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    ctx.err(
      `estate-secrets: unknown command ${JSON.stringify(command)} (commands: ${Object.keys(COMMANDS).join(', ')})\n`,
    );
    return EXIT.usage;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    ctx.out(USAGE);
    return EXIT.ok;
  }
  try {
    return await handler(rest, ctx);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigurationError) {
      ctx.err(`estate-secrets: ${error.message}\nRun 'estate-secrets --help' for usage.\n`);
      return EXIT.usage;
    }
    if (error instanceof CommandFailedError) {
      ctx.err(`estate-secrets: ${error.message}\n`);
      return EXIT.failed;
    }
    // Our errors and AWS errors carry names, never values; print name and message only, no stack.
    const { name, message } = error as Error;
    ctx.err(`estate-secrets ${command}: ${name}: ${message}\n`);
    return EXIT.failed;
  }
}
