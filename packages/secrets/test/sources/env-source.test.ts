import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifest } from '../../../../apps/backend/src/secrets';
import { ConfigurationError, loadSecrets, SecretsLoadError } from '../../src';
import { parameterVariable, secretVariable } from '../../src/sources';
import { generatedValues, random } from '../support/local-aws';

describe('env source', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'estate-env-source-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const variablesFor = (values: ReturnType<typeof generatedValues>) =>
    Object.fromEntries(
      Object.entries(values).map(([group, value]) => [
        secretVariable(group, 'AWSCURRENT'),
        JSON.stringify(value),
      ]),
    );

  it('has one naming rule for secrets, previous versions and parameters', () => {
    expect(secretVariable('estate/dev/database', 'AWSCURRENT')).toBe('ESTATE_SECRET_DATABASE');
    expect(secretVariable('estate/dev/jwt', 'AWSPREVIOUS')).toBe('ESTATE_SECRET_JWT_PREVIOUS');
    expect(secretVariable('estate/dev/my-group', 'AWSCURRENT')).toBe('ESTATE_SECRET_MY_GROUP');
    expect(parameterVariable('/estate/dev/config/log_level')).toBe('ESTATE_PARAM_CONFIG_LOG_LEVEL');
  });

  it('loads and validates from variables, with parameters and previous', async () => {
    const values = generatedValues();
    const previousJwt = { ...values.jwt, secret: random(48) };
    const loaded = await loadSecrets(manifest, {
      env: 'dev',
      source: 'env',
      variables: {
        ...variablesFor(values),
        ESTATE_SECRET_JWT_PREVIOUS: JSON.stringify(previousJwt),
        ESTATE_PARAM_CONFIG_LOG_LEVEL: 'debug',
      },
    });
    expect(loaded.source).toBe('env');
    expect(loaded.get('database').password).toBe(values.database.password);
    expect(loaded.previous('jwt')?.secret).toBe(previousJwt.secret);
    expect(loaded.get('segment')).toBeUndefined();
    expect(loaded.param('logLevel')).toBe('debug');
    expect(loaded.param('allowedOrigins')).toEqual(['http://localhost:5173']);
    expect(loaded.versionId('database')).toMatch(/^[0-9a-f]{32}$/);
    loaded.close();
  });

  it('reads a .env file, lets variables win, and sees edits on refresh', async () => {
    const values = generatedValues();
    const file = join(dir, 'estate.env');
    const lines = Object.entries(variablesFor(values)).map(([k, v]) => `${k}='${v}'`);
    writeFileSync(file, lines.join('\n'));
    const override = { ...values.ses, smtpPassword: random() };
    const loaded = await loadSecrets(manifest, {
      env: 'dev',
      source: 'env',
      dotenvPath: file,
      variables: { ESTATE_SECRET_SES: JSON.stringify(override) },
    });
    expect(loaded.get('jwt').secret).toBe(values.jwt.secret);
    expect(loaded.get('ses').smtpPassword).toBe(override.smtpPassword);

    const changed = jest.fn();
    loaded.onChange('jwt', changed);
    expect((await loaded.refresh()).changed).toEqual([]);
    const jwt = { ...values.jwt, secret: random(48) };
    writeFileSync(
      file,
      [
        ...lines.filter((l) => !l.startsWith('ESTATE_SECRET_JWT=')),
        `ESTATE_SECRET_JWT='${JSON.stringify(jwt)}'`,
      ].join('\n'),
    );
    expect((await loaded.refresh()).changed).toEqual(['jwt']);
    expect(changed).toHaveBeenCalledTimes(1);
    loaded.close();
  });

  it('fails on a missing or empty JWT variable, naming the variable, never substituting ""', async () => {
    const values = generatedValues();
    const variables = { ...variablesFor(values), ESTATE_SECRET_JWT: '' };
    const error = await loadSecrets(manifest, { env: 'dev', source: 'env', variables }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SecretsLoadError);
    expect((error as SecretsLoadError).problems).toEqual([
      expect.objectContaining({
        name: 'estate/dev/jwt',
        errorName: 'MissingVariable',
        hint: 'set ESTATE_SECRET_JWT to the JSON object',
      }),
    ]);
  });

  it('refuses the env source in production', async () => {
    await expect(loadSecrets(manifest, { env: 'production', source: 'env', variables: {} })).rejects.toThrow(
      ConfigurationError,
    );
    await expect(loadSecrets(manifest, { env: 'production', source: 'env', variables: {} })).rejects.toThrow(
      /production always loads secrets from AWS/,
    );
  });
});
