import { RotatorConfigurationError, settingsFromEnvironment } from '../../src/config';

describe('settingsFromEnvironment (the variables rotation.tf sets)', () => {
  it('reads the database settings and the master secret ARN', () => {
    expect(
      settingsFromEnvironment({
        ESTATE_DB_HOST: 'db.internal',
        ESTATE_DB_PORT: '5432',
        ESTATE_DB_NAME: 'estate',
        ESTATE_DB_APP_USER: 'estate_app',
        ESTATE_DB_MASTER_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!db-1',
      }),
    ).toEqual({
      database: { host: 'db.internal', port: 5432, dbname: 'estate', username: 'estate_app' },
      masterSecretId: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!db-1',
    });
  });

  it('needs none of them (random keys, or secrets that already have AWSCURRENT)', () => {
    expect(settingsFromEnvironment({})).toEqual({ database: undefined, masterSecretId: undefined });
  });

  it('refuses a partial set and a bad port, naming the variables', () => {
    expect(() => settingsFromEnvironment({ ESTATE_DB_HOST: 'db' })).toThrow(
      new RotatorConfigurationError(
        'ESTATE_DB_PORT, ESTATE_DB_NAME, ESTATE_DB_APP_USER must be set along with ESTATE_DB_HOST',
      ),
    );
    expect(() =>
      settingsFromEnvironment({
        ESTATE_DB_HOST: 'db',
        ESTATE_DB_PORT: 'http',
        ESTATE_DB_NAME: 'estate',
        ESTATE_DB_APP_USER: 'estate_app',
      }),
    ).toThrow(/ESTATE_DB_PORT must be a port number/);
  });
});
