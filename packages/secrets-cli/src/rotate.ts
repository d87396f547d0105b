import { DescribeSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { secretName } from '@estate/secrets';
import { AWS_OPTIONS, envFlag, parseCommand } from './args';
import { describeAwsError, secretsManagerClient } from './aws';
import { type CliContext, EXIT, UsageError } from './context';
import { formatTable } from './table';

const GROUP = /^[a-z][a-z0-9-]*$/;

/** `rotate <group>`: RotateSecret with RotateImmediately; prints the new (AWSPENDING) version id. */
export async function rotateCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(
    'rotate',
    args,
    { ...AWS_OPTIONS, env: { type: 'string' }, 'lambda-arn': { type: 'string' }, json: { type: 'boolean' } },
    1,
  );
  const group = positionals[0];
  if (!group) throw new UsageError('rotate: the secret group is required, e.g. `rotate jwt --env dev`');
  if (!GROUP.test(group)) throw new UsageError(`rotate: group ${JSON.stringify(group)} must match ${GROUP}`);
  const env = envFlag('rotate', values.env);
  const name = secretName(env, group);
  const client = secretsManagerClient(ctx, values);
  try {
    const rotated = await client.send(
      new RotateSecretCommand({
        SecretId: name,
        RotateImmediately: true,
        RotationLambdaARN: values['lambda-arn'],
      }),
    );
    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    const stages = rotated.VersionId ? (described.VersionIdsToStages?.[rotated.VersionId] ?? []) : [];
    const row = {
      name,
      versionId: rotated.VersionId ?? '-',
      stages: stages.join(',') || '-',
      rotationEnabled: described.RotationEnabled ?? false,
      lastRotated: described.LastRotatedDate?.toISOString() ?? '-',
      nextRotation: described.NextRotationDate?.toISOString() ?? '-',
    };
    ctx.out(
      values.json
        ? `${JSON.stringify(row)}\n`
        : `${formatTable(
            ['name', 'version id', 'stages', 'last rotated', 'next rotation'],
            [[row.name, row.versionId, row.stages, row.lastRotated, row.nextRotation]],
          )}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    const detail = describeAwsError(error);
    const hint =
      (error as { name?: string }).name === 'InvalidRequestException'
        ? ' (hint: is rotation configured for this secret? attach a rotation function: Terraform aws_secretsmanager_secret_rotation, or --lambda-arn)'
        : '';
    ctx.err(`rotate ${name}: ${detail}${hint}\n`);
    return EXIT.failed;
  } finally {
    client.destroy();
  }
}
