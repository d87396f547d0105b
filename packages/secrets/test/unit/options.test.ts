import { ConfigurationError, optionsFromEnvironment } from '../../src';
import { resolveOptions } from '../../src/options';

describe('optionsFromEnvironment (the app edge)', () => {
  it('takes the refresh interval in seconds from ESTATE_SECRETS_REFRESH_SECONDS', () => {
    expect(optionsFromEnvironment({ ESTATE_ENV: 'dev', ESTATE_SECRETS_REFRESH_SECONDS: '1' })).toEqual({
      env: 'dev',
      source: 'aws',
      refreshIntervalMs: 1000,
    });
    expect(
      optionsFromEnvironment({ ESTATE_ENV: 'dev', ESTATE_SECRETS_REFRESH_SECONDS: '600' }).refreshIntervalMs,
    ).toBe(600_000);
  });

  it('leaves the refresh interval to the package default when ESTATE_SECRETS_REFRESH_SECONDS is absent', () => {
    const absent = optionsFromEnvironment({ ESTATE_ENV: 'dev' });
    const empty = optionsFromEnvironment({ ESTATE_ENV: 'dev', ESTATE_SECRETS_REFRESH_SECONDS: '' });
    expect(absent).not.toHaveProperty('refreshIntervalMs');
    expect(empty).not.toHaveProperty('refreshIntervalMs');
    expect(resolveOptions(absent).refreshIntervalMs).toBe(300_000);
  });

  it.each(['0', '-5', '1.5', 'abc', '10s', ' ', '99999999999999999999'])(
    'refuses ESTATE_SECRETS_REFRESH_SECONDS=%j, naming the variable',
    (value) => {
      expect(() =>
        optionsFromEnvironment({ ESTATE_ENV: 'dev', ESTATE_SECRETS_REFRESH_SECONDS: value }),
      ).toThrow(ConfigurationError);
      expect(() =>
        optionsFromEnvironment({ ESTATE_ENV: 'dev', ESTATE_SECRETS_REFRESH_SECONDS: value }),
      ).toThrow(/ESTATE_SECRETS_REFRESH_SECONDS must be a positive whole number of seconds/);
    },
  );

  it('requires ESTATE_ENV and says what is allowed', () => {
    expect(() => optionsFromEnvironment({})).toThrow(
      /ESTATE_ENV must be one of dev, staging, production \(got nothing\)/,
    );
    expect(() => optionsFromEnvironment({ ESTATE_ENV: 'prod', NODE_ENV: 'production' })).toThrow(
      ConfigurationError,
    );
  });

  it('defaults to aws and takes the region', () => {
    expect(optionsFromEnvironment({ ESTATE_ENV: 'staging', AWS_REGION: 'ap-northeast-2' })).toEqual({
      env: 'staging',
      source: 'aws',
      aws: { region: 'ap-northeast-2' },
    });
  });

  it('allows the env source in development, with a .env file', () => {
    expect(
      optionsFromEnvironment({
        ESTATE_ENV: 'dev',
        ESTATE_SECRETS_SOURCE: 'env',
        ESTATE_SECRETS_DOTENV: '.env',
      }),
    ).toEqual({ env: 'dev', source: 'env', dotenvPath: '.env' });
  });

  it('refuses env under NODE_ENV=production or ESTATE_ENV=production, and unknown sources', () => {
    expect(() =>
      optionsFromEnvironment({ ESTATE_ENV: 'dev', NODE_ENV: 'production', ESTATE_SECRETS_SOURCE: 'env' }),
    ).toThrow(/not allowed with NODE_ENV=production/);
    expect(() => optionsFromEnvironment({ ESTATE_ENV: 'production', ESTATE_SECRETS_SOURCE: 'env' })).toThrow(
      ConfigurationError,
    );
    expect(() => optionsFromEnvironment({ ESTATE_ENV: 'dev', ESTATE_SECRETS_SOURCE: 'vault' })).toThrow(
      /aws or env/,
    );
  });
});

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveOptions({ env: 'dev' })).toMatchObject({
      source: 'aws',
      refreshIntervalMs: 300_000,
      startupDeadlineMs: 10_000,
      refreshDeadlineMs: 30_000,
    });
  });

  it('rejects bad values with the option name', () => {
    expect(() => resolveOptions({ env: 'qa' as never })).toThrow(/options.env/);
    expect(() => resolveOptions({ env: 'dev', startupDeadlineMs: 0 })).toThrow(/startupDeadlineMs/);
    expect(() => resolveOptions({ env: 'dev', source: 'env' })).toThrow(/variables .* or dotenvPath/);
    expect(resolveOptions({ env: 'dev', refreshIntervalMs: 0 }).refreshIntervalMs).toBe(0);
  });
});
