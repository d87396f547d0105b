import type { ServiceManifest } from '@estate/secrets';
import { catalogGroups } from '@estate/secrets/catalog';

/** The README's "which role may read which secret" table, derived from the manifests. */
export function accessTable(manifests: readonly ServiceManifest[]): string {
  const header = `| role (service account) | ${catalogGroups.join(' | ')} |`;
  const rule = `|---|${catalogGroups.map(() => '---').join('|')}|`;
  const rows = manifests.map((manifest) => {
    const declared = new Map(Object.values(manifest.secrets).map((d) => [d.group, d]));
    const cells = catalogGroups.map((group) => {
      const declaration = declared.get(group);
      if (!declaration) return '-';
      return declaration.optional ? 'read (optional)' : 'read';
    });
    return `| \`estate-{env}-${manifest.service}\` (${manifest.service}) | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
