import {
  type Environment,
  type LoadProblem,
  loadSecrets,
  resolveNames,
  SecretsLoadError,
  type ServiceManifest,
} from '@estate/secrets';
import { AWS_OPTIONS, envFlag, MANIFEST_OPTIONS, parseCommand } from './args';
import { regionOf } from './aws';
import { type CliContext, EXIT } from './context';
import { loadManifest } from './manifests';
import { formatTable } from './table';

export interface CheckRow {
  key: string;
  name: string;
  status: 'ok' | 'absent (optional)' | 'FAIL';
  versionId?: string;
  problem?: string;
  hint?: string;
}

/**
 * `check`: loads the service's secrets exactly as the service would at startup (same loader, same
 * schemas, the current credentials) and reports each one. Never prints a value.
 */
export async function checkCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommand('check', args, {
    ...MANIFEST_OPTIONS,
    ...AWS_OPTIONS,
    env: { type: 'string' },
    json: { type: 'boolean' },
  });
  const env = envFlag('check', values.env);
  const manifest = loadManifest(ctx.cwd, values, 'check');
  const rows = await checkManifest(manifest, env, {
    region: regionOf(ctx, values),
    endpoint: values.endpoint,
  });

  if (values.json) ctx.out(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    ctx.out(
      `${formatTable(
        ['key', 'name', 'status', 'version id', 'problem'],
        rows.map((r) => [
          r.key,
          r.name,
          r.status,
          r.versionId ?? '-',
          [r.problem, r.hint && `(hint: ${r.hint})`].filter(Boolean).join(' '),
        ]),
      )}\n`,
    );
    const failed = rows.filter((r) => r.status === 'FAIL').length;
    ctx.err(
      failed === 0
        ? `check: ${manifest.service} in ${env}: all ${rows.length} secrets and parameters load\n`
        : `check: ${manifest.service} in ${env}: ${failed} of ${rows.length} failed\n`,
    );
  }
  return rows.some((r) => r.status === 'FAIL') ? EXIT.failed : EXIT.ok;
}

export async function checkManifest(
  manifest: ServiceManifest,
  env: Environment,
  aws: { region: string; endpoint?: string },
): Promise<CheckRow[]> {
  const names = resolveNames(manifest, env);
  let loaded: Awaited<ReturnType<typeof loadSecrets>> | undefined;
  let problems: readonly LoadProblem[] = [];
  try {
    loaded = await loadSecrets(manifest, {
      env,
      source: 'aws',
      refreshIntervalMs: 0,
      aws: { region: aws.region, ...(aws.endpoint ? { endpoint: aws.endpoint } : {}) },
    });
  } catch (error) {
    if (!(error instanceof SecretsLoadError)) throw error;
    problems = error.problems;
  }

  try {
    // One row per problem (a secret can fail on several fields), one row per healthy name.
    const rowsOf = (key: string, name: string, optional: boolean, isSecret: boolean): CheckRow[] => {
      const own = problems.filter((p) => p.name === name);
      if (own.length > 0) {
        return own.map((problem) => ({
          key,
          name: problem.fieldPath ? `${name} ${problem.fieldPath}` : name,
          status: 'FAIL',
          problem: `${problem.errorName}: ${problem.message}`,
          ...(problem.hint ? { hint: problem.hint } : {}),
        }));
      }
      const versionId = isSecret ? loaded?.versionId(key) : undefined;
      if (isSecret && loaded && optional && versionId === undefined)
        return [{ key, name, status: 'absent (optional)' }];
      return [{ key, name, status: 'ok', ...(versionId ? { versionId } : {}) }];
    };
    const rows = [
      ...names.secrets.flatMap((s) => rowsOf(s.key, s.name, s.optional, true)),
      ...names.parameters.flatMap((p) => rowsOf(p.key, p.name, false, false)),
    ];
    // A problem for a name outside the manifest (should not happen) is still shown.
    const declared = new Set([...names.secrets, ...names.parameters].map((n) => n.name));
    for (const problem of problems) {
      if (declared.has(problem.name)) continue;
      rows.push({
        key: '-',
        name: problem.name,
        status: 'FAIL',
        problem: `${problem.errorName}: ${problem.message}`,
        ...(problem.hint ? { hint: problem.hint } : {}),
      });
    }
    return rows;
  } finally {
    await loaded?.close();
  }
}
