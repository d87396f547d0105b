import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { catalogGroups } from '@estate/secrets/catalog';
import { type LocalEndpoint, start } from '@estate/secrets-local';
import { runCli } from './support/run-cli';

const seeded = catalogGroups.filter((group) => group !== 'segment');

describe('estate-secrets seed', () => {
  let endpoint: LocalEndpoint;
  let client: SecretsManagerClient;
  let env: Record<string, string>;
  let tmp: string;

  beforeAll(async () => {
    endpoint = await start({ port: 0, quiet: true });
    env = { AWS_ENDPOINT_URL: endpoint.url };
    client = new SecretsManagerClient({
      endpoint: endpoint.url,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'local-admin', secretAccessKey: 'local' },
    });
    tmp = mkdtempSync(join(tmpdir(), 'estate-seed-'));
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function storedValue(name: string): Promise<string> {
    return (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString ?? '';
  }

  it('creates every catalog group with a dev generator once, never printing a value', async () => {
    const first = await runCli(['seed', '--env', 'dev'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const group of seeded)
      expect(first.stdout).toMatch(new RegExp(`estate/dev/${group}\\s+created\\s+\\S+`));
    expect(first.stdout).toMatch(/estate\/dev\/segment\s+skipped/);

    const values = await Promise.all(seeded.map((group) => storedValue(`estate/dev/${group}`)));
    const output = first.stdout + first.stderr;
    for (const raw of values) {
      for (const field of Object.values(JSON.parse(raw) as Record<string, unknown>)) {
        if (typeof field === 'string' && field.length >= 8) expect(output).not.toContain(field);
      }
    }

    const second = await runCli(['seed', '--env', 'dev'], env);
    expect(second.code).toBe(0);
    for (const group of seeded) expect(second.stdout).toMatch(new RegExp(`estate/dev/${group}\\s+unchanged`));
    expect(await Promise.all(seeded.map((group) => storedValue(`estate/dev/${group}`)))).toEqual(values);
  });

  it('regenerates only when asked, and reports an invalid existing value without printing it', async () => {
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'estate/dev/jwt',
        SecretString: '{"secret":"too-short-key","issuer":"x","expiresIn":"15m"}',
      }),
    );
    const refused = await runCli(['seed', '--env', 'dev', '--json'], env);
    expect(refused.code).toBe(1);
    const rows = JSON.parse(refused.stdout) as { name: string; action: string; note?: string }[];
    expect(rows.find((r) => r.name === 'estate/dev/jwt')).toMatchObject({
      action: 'FAIL',
      note: expect.stringMatching(/^secret: .*--force-regenerate/),
    });
    expect(refused.stdout).not.toContain('too-short-key');

    const before = await storedValue('estate/dev/database');
    const forced = await runCli(['seed', '--env', 'dev', '--force-regenerate'], env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/estate\/dev\/jwt\s+updated/);
    expect(await storedValue('estate/dev/database')).not.toBe(before);
  });

  it('takes values from a .env file for production, writing only what differs', async () => {
    const file = join(tmp, 'production.env');
    const kreb = { apiKey: 'kreb-production-key-0001' };
    writeFileSync(
      file,
      `ESTATE_SECRET_KREB='${JSON.stringify(kreb)}'\nESTATE_SECRET_MOLIT='{"serviceKey":""}'\n`,
    );
    const first = await runCli(['seed', '--env', 'production', '--from', file], env);
    expect(first.code).toBe(1); // molit is invalid
    expect(first.stdout).toMatch(/estate\/production\/kreb\s+created/);
    expect(first.stdout).toMatch(
      /estate\/production\/molit\s+FAIL\s+-\s+ESTATE_SECRET_MOLIT: serviceKey: must not be empty/,
    );
    expect(first.stdout).toMatch(/estate\/production\/database\s+skipped/);
    expect(first.stdout + first.stderr).not.toContain('kreb-production-key-0001');
    expect(JSON.parse(await storedValue('estate/production/kreb'))).toEqual(kreb);

    writeFileSync(file, `ESTATE_SECRET_KREB='${JSON.stringify(kreb)}'\n`);
    expect((await runCli(['seed', '--env', 'production', '--from', file], env)).stdout).toMatch(
      /estate\/production\/kreb\s+unchanged/,
    );
    writeFileSync(file, `ESTATE_SECRET_KREB='{"apiKey":"kreb-production-key-0002"}'\n`);
    const updated = await runCli(['seed', '--env', 'production', '--from', file], env);
    expect(updated.stdout).toMatch(/estate\/production\/kreb\s+updated/);
    expect(updated.stdout).not.toContain('kreb-production-key-0002');
  });

  it('refuses to generate staging or production values, and writes parameter defaults when asked', async () => {
    for (const target of ['production', 'staging']) {
      const refused = await runCli(['seed', '--env', target], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--from');
    }
    const listed = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['estate/staging/'] }] }),
    );
    expect(listed.SecretList ?? []).toHaveLength(0);

    const withParameters = await runCli(['seed', '--env', 'dev', '--parameters'], env);
    expect(withParameters.code).toBe(0);
    expect(withParameters.stdout).toMatch(/\/estate\/dev\/config\/log_level\s+created/);
    const ssm = new SSMClient({
      endpoint: endpoint.url,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'local-admin', secretAccessKey: 'local' },
    });
    expect(
      (await ssm.send(new GetParameterCommand({ Name: '/estate/dev/config/etl_regions' }))).Parameter?.Value,
    ).toBe('11680,11650,11710');
    ssm.destroy();
    const again = await runCli(['seed', '--env', 'dev', '--parameters'], env);
    expect(again.stdout).toMatch(/\/estate\/dev\/config\/log_level\s+unchanged/);
  });
});
