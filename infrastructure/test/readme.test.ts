import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessTable } from './support/access-table';
import { manifests } from './support/manifests';
import { repoRoot } from './support/paths';

const readme = readFileSync(join(repoRoot, 'infrastructure', 'README.md'), 'utf8');

/** Cells of a markdown table, whatever its column padding (Biome aligns tables), separator row dropped. */
function cells(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    )
    .filter((row) => !row.every((cell) => /^:?-+:?$/.test(cell)));
}

/** The table in the README that starts with the given header cell. */
function readmeTable(firstHeader: string): string {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.trim().startsWith(`| ${firstHeader}`));
  if (start < 0) return '';
  const end = lines.findIndex((line, i) => i > start && !line.trim().startsWith('|'));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

test('the README table "which role may read which secret" is the one the manifests give', () => {
  const expected = accessTable(manifests);
  const found = cells(readmeTable('name'));
  if (JSON.stringify(found) !== JSON.stringify(cells(expected))) {
    throw new Error(`infrastructure/README.md: replace the access table with:\n\n${expected}\n`);
  }
});

test('the README says how to plan each environment with its tfvars example', () => {
  for (const env of ['staging', 'production']) expect(readme).toContain(`environments/${env}.tfvars`);
});
