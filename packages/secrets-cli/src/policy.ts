import { accessTable, iamPolicyFor } from '@estate/secrets/policy';
import { AWS_OPTIONS, envFlag, MANIFEST_OPTIONS, parseCommand, requireFlag } from './args';
import { regionOf } from './aws';
import { type CliContext, EXIT, UsageError } from './context';
import { loadAllManifests, loadManifest } from './manifests';

/**
 * `policy`: the least-privilege IAM policy JSON for one service in one environment, or with
 * `--all` the table of which service role may read which secret and parameter.
 */
export async function policyCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommand('policy', args, {
    ...MANIFEST_OPTIONS,
    ...AWS_OPTIONS,
    env: { type: 'string' },
    all: { type: 'boolean' },
    'account-id': { type: 'string' },
    'kms-key-arn': { type: 'string' },
    'secure-string-parameters': { type: 'boolean' },
  });
  const env = envFlag('policy', values.env);
  if (values.all) {
    if (values.service || values.manifest) {
      throw new UsageError('policy: --all covers every service; drop --service/--manifest');
    }
    ctx.out(`${accessTable(loadAllManifests(ctx.cwd, 'policy'), env)}\n`);
    return EXIT.ok;
  }
  const accountId = requireFlag('policy', 'account-id', values['account-id']);
  if (!/^\d{12}$/.test(accountId)) throw new UsageError('policy: --account-id must be 12 digits');
  const manifest = loadManifest(ctx.cwd, values, 'policy');
  const policy = iamPolicyFor(manifest, {
    env,
    region: regionOf(ctx, values),
    accountId,
    kmsKeyArn: values['kms-key-arn'],
    secureStringParameters: values['secure-string-parameters'] ?? false,
  });
  ctx.out(`${JSON.stringify(policy, null, 2)}\n`);
  return EXIT.ok;
}
