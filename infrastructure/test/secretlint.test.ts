import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support/paths';

interface Finding {
  filePath: string;
  messages: { ruleId: string; messageId: string }[];
}

/** Runs the repository's secretlint (root devDependency and .secretlintrc.json) over files in `dir`. */
function secretlint(dir: string): { status: number | null; findings: Finding[] } {
  const bin = join(repoRoot, 'node_modules', '.bin', 'secretlint');
  const result = spawnSync(
    bin,
    ['--secretlintrc', join(repoRoot, '.secretlintrc.json'), '--format', 'json', '--no-color', '**/*'],
    { cwd: dir, encoding: 'utf8' },
  );
  if (result.error) throw new Error(`cannot run ${bin}: ${result.error.message} (pnpm install at the root?)`);
  return { status: result.status, findings: JSON.parse(result.stdout || '[]') as Finding[] };
}

const randomFrom = (alphabet: string, length: number) =>
  Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');

// Built at run time so no key-shaped literal is ever committed (secretlint would rightly flag it).
function plantedAwsCredentials(): string {
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const keyId = ['AK', 'IA'].join('') + randomFrom(upper, 16);
  const secretKey = randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 40);
  return `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secretKey}\n`;
}

describe('secretlint (recommended preset) as configured at the repository root', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'estate-secretlint-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('reports a planted AWS secret access key and a planted private key, and fails', () => {
    writeFileSync(join(dir, 'credentials'), plantedAwsCredentials());
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    writeFileSync(join(dir, 'deploy.pem'), privateKey);

    const { status, findings } = secretlint(dir);
    expect(status).not.toBe(0);
    const byFile = Object.fromEntries(
      findings.map((f) => [f.filePath.slice(dir.length + 1), f.messages.map((m) => m.ruleId)]),
    );
    expect(byFile.credentials).toContain('@secretlint/secretlint-rule-aws');
    expect(byFile['deploy.pem']).toContain('@secretlint/secretlint-rule-privatekey');
  });

  test('passes a file with configuration only', () => {
    writeFileSync(join(dir, 'settings.env'), 'AWS_REGION=ap-northeast-2\nESTATE_ENV=staging\n');
    const { status, findings } = secretlint(dir);
    expect(status).toBe(0);
    expect(findings.flatMap((f) => f.messages)).toEqual([]);
  });
});
