import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessTable } from './support/access-table';
import { manifests } from './support/manifests';
import { repoRoot } from './support/paths';

const readme = readFileSync(join(repoRoot, 'infrastructure', 'README.md'), 'utf8');

test('the README table "which role may read which secret" is the one the manifests give', () => {
  const expected = accessTable(manifests);
  if (!readme.includes(expected)) {
    throw new Error(`infrastructure/README.md: replace the access table with:\n\n${expected}\n`);
  }
});

test('the README says how to plan each environment with its tfvars example', () => {
  for (const env of ['staging', 'production']) expect(readme).toContain(`environments/${env}.tfvars`);
});
