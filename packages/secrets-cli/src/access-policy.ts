import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { localAccessPolicy } from '@estate/secrets/policy';
import { envFlag, parseCommand } from './args';
import { type CliContext, EXIT } from './context';
import { loadAllManifests } from './manifests';

/** `access-policy`: the @estate/secrets-local access policy for every service under apps/. */
export async function accessPolicyCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommand('access-policy', args, {
    env: { type: 'string' },
    out: { type: 'string' },
  });
  const env = envFlag('access-policy', values.env);
  const policy = localAccessPolicy(loadAllManifests(ctx.cwd, 'access-policy'), env);
  const json = `${JSON.stringify(policy, null, 2)}\n`;
  if (!values.out) {
    ctx.out(json);
    return EXIT.ok;
  }
  const file = resolve(ctx.cwd, values.out);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, json);
  ctx.err(`access-policy: wrote ${Object.keys(policy.principals).length} principals to ${values.out}\n`);
  return EXIT.ok;
}
