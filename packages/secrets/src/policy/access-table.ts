import { type Environment, resolveNames, type ServiceManifest } from '../manifest';

/**
 * A markdown table: one row per secret name, runtime prefix (`estate/{env}/orgs/*`, "manage":
 * create, write, read, tag, delete) or parameter name, one column per service role.
 */
export function accessTable(manifests: readonly ServiceManifest[], env: Environment): string {
  // Sorted by service, so the table is the same whatever order the manifests come in.
  const sorted = [...manifests].sort((a, b) => a.service.localeCompare(b.service));
  const resolved = sorted.map((manifest) => ({
    service: manifest.service,
    ...resolveNames(manifest, env),
  }));
  const secretRows = new Map<string, string[]>();
  const runtimeRows = new Map<string, string[]>();
  const parameterRows = new Map<string, string[]>();
  resolved.forEach((service, column) => {
    for (const secret of service.secrets) {
      const row = secretRows.get(secret.name) ?? resolved.map(() => '-');
      row[column] = secret.optional ? 'read (optional)' : secret.keepPrevious ? 'read (+ previous)' : 'read';
      secretRows.set(secret.name, row);
    }
    for (const prefix of service.runtime) {
      const row = runtimeRows.get(`${prefix.name}*`) ?? resolved.map(() => '-');
      row[column] = 'manage (runtime)';
      runtimeRows.set(`${prefix.name}*`, row);
    }
    for (const parameter of service.parameters) {
      const row = parameterRows.get(parameter.name) ?? resolved.map(() => '-');
      row[column] = 'read';
      parameterRows.set(parameter.name, row);
    }
  });
  const header = `| name | ${resolved.map((s) => `${s.service} role`).join(' | ')} |`;
  const rule = `|---|${resolved.map(() => '---').join('|')}|`;
  const lines = [...secretRows, ...runtimeRows, ...parameterRows].map(
    ([name, cells]) => `| \`${name}\` | ${cells.join(' | ')} |`,
  );
  return [header, rule, ...lines].join('\n');
}
