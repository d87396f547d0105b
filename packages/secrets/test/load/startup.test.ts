import { z } from 'zod';
import { defineSecrets, loadSecrets, parameter, SecretsLoadError, secret } from '../../src';
import { DatabaseSecret, JwtSecret, LogLevel, PositiveInteger, SegmentSecret } from '../../src/catalog';
import { type LocalAws, random, startLocalAws } from '../support/local-aws';

const Token = z.object({ token: z.string().min(8) });

async function loadError(promise: Promise<unknown>): Promise<SecretsLoadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecretsLoadError);
  return error as SecretsLoadError;
}

describe('loadSecrets: startup against the local endpoint', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(() => aws.stop());
  beforeEach(() => aws.endpoint.clearFaults());

  it('loads 25 groups with exactly 2 BatchGetSecretValue calls (20 ids per call)', async () => {
    const secrets: Record<string, ReturnType<typeof secret<typeof Token>>> = {};
    for (let i = 1; i <= 25; i += 1) {
      const group = `batch${String(i).padStart(2, '0')}`;
      await aws.createSecret(`estate/dev/${group}`, { token: random() });
      secrets[group] = secret(group, Token);
    }
    const manifest = defineSecrets({ service: 'batch', secrets });
    aws.endpoint.resetStats();
    const loaded = await loadSecrets(manifest, aws.options());
    expect(aws.endpoint.stats().calls).toEqual({ BatchGetSecretValue: 2 });
    expect(loaded.get('batch25').token).toHaveLength(32);
    loaded.close();
  });

  it('reports one bad group among good ones, by name, with the AWS error and a hint', async () => {
    await aws.createSecret('estate/dev/good-one', { token: random() });
    await aws.createSecret('estate/dev/good-two', { token: random() });
    const manifest = defineSecrets({
      service: 'mixed',
      secrets: {
        one: secret('good-one', Token),
        missing: secret('never-created', Token),
        two: secret('good-two', Token),
      },
    });
    const error = await loadError(loadSecrets(manifest, aws.options()));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({
      name: 'estate/dev/never-created',
      errorName: 'ResourceNotFoundException',
    });
    expect(error.message).toMatch(
      /estate\/dev\/never-created: ResourceNotFoundException: .*estate-secrets seed --env dev/,
    );
    expect(error.message.split('\n')).toHaveLength(2);
  });

  it('names the field path of every schema violation, never the value, and reports all problems together', async () => {
    const weakKey = random(6);
    const weakPassword = random(3);
    await aws.createSecret('estate/dev/weak-jwt', { secret: weakKey, issuer: 'x', expiresIn: 'soon' });
    await aws.createSecret('estate/dev/weak-db', {
      host: '127.0.0.1',
      port: 99999,
      dbname: 'estate',
      username: 'u',
      password: weakPassword,
    });
    await aws.createSecret('estate/dev/not-json', `{"secret": "${weakKey}"`);
    const manifest = defineSecrets({
      service: 'weak',
      secrets: {
        jwt: secret('weak-jwt', JwtSecret),
        database: secret('weak-db', DatabaseSecret),
        broken: secret('not-json', JwtSecret),
      },
    });
    const error = await loadError(loadSecrets(manifest, aws.options()));
    const lines = error.problems.map((p) => `${p.name} ${p.fieldPath ?? ''} ${p.errorName}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'estate/dev/weak-jwt secret ValidationError',
        'estate/dev/weak-jwt expiresIn ValidationError',
        'estate/dev/weak-db port ValidationError',
        'estate/dev/weak-db password ValidationError',
        'estate/dev/not-json  ParseError',
      ]),
    );
    expect(error.message).toContain('must be at least 32 bytes');
    expect(error.message).not.toContain(weakKey);
    expect(error.message).not.toContain(weakPassword);
    expect(JSON.stringify(error.problems)).not.toContain(weakKey);
    expect(error.cause).toBeUndefined();
  });

  it('treats a missing optional group as absent, not as a problem, and picks it up when it appears', async () => {
    await aws.createSecret('estate/dev/present', { token: random() });
    const manifest = defineSecrets({
      service: 'optional',
      secrets: {
        present: secret('present', Token),
        segment: secret('segment-absent', SegmentSecret, { optional: true }),
      },
    });
    const loaded = await loadSecrets(manifest, aws.options());
    expect(loaded.get('segment')).toBeUndefined();
    expect(loaded.versionId('segment')).toBeUndefined();
    expect(loaded.health().groups.segment).toMatchObject({ absent: true, stale: false });
    expect(loaded.health().status).toBe('fresh');
    const appeared = jest.fn();
    loaded.onChange('segment', appeared);
    const writeKey = random();
    await aws.createSecret('estate/dev/segment-absent', { writeKey });
    expect((await loaded.refresh()).changed).toEqual(['segment']);
    expect(loaded.get('segment')?.writeKey).toBe(writeKey);
    expect(appeared).toHaveBeenCalledTimes(1);
    loaded.close();
  });

  it('uses parameter defaults, reads set parameters, and names invalid ones', async () => {
    await aws.createSecret('estate/dev/param-holder', { token: random() });
    await aws.putParameter('/estate/dev/config/test_level', 'debug');
    const base = { holder: secret('param-holder', Token) };
    const ok = defineSecrets({
      service: 'params',
      secrets: base,
      parameters: {
        level: parameter('config/test_level', LogLevel, { default: 'info' }),
        concurrency: parameter('config/test_unset_concurrency', PositiveInteger, { default: '4' }),
        maybe: parameter('config/test_unset_optional', z.string(), { optional: true }),
      },
    });
    const loaded = await loadSecrets(ok, aws.options());
    expect(loaded.param('level')).toBe('debug');
    expect(loaded.param('concurrency')).toBe(4);
    expect(loaded.param('maybe')).toBeUndefined();
    loaded.close();

    await aws.putParameter('/estate/dev/config/test_bad_level', 'loud');
    const bad = defineSecrets({
      service: 'params',
      secrets: base,
      parameters: {
        level: parameter('config/test_bad_level', LogLevel, { default: 'info' }),
        required: parameter('config/test_required_missing', z.string()),
      },
    });
    const error = await loadError(loadSecrets(bad, aws.options()));
    expect(error.problems.map((p) => [p.name, p.errorName])).toEqual(
      expect.arrayContaining([
        ['/estate/dev/config/test_bad_level', 'ValidationError'],
        ['/estate/dev/config/test_required_missing', 'ParameterNotFound'],
      ]),
    );
  });

  it('loads AWSPREVIOUS for keepPrevious groups and refuses previous() elsewhere', async () => {
    const first = { secret: random(48), issuer: 'estate-test', expiresIn: '15m' };
    const second = { ...first, secret: random(48) };
    const firstVersion = await aws.createSecret('estate/dev/rotating-jwt', first);
    const secondVersion = await aws.putSecret('estate/dev/rotating-jwt', second);
    await aws.createSecret('estate/dev/plain', { token: random() });
    const manifest = defineSecrets({
      service: 'rotating',
      secrets: {
        jwt: secret('rotating-jwt', JwtSecret, { keepPrevious: true }),
        plain: secret('plain', Token),
      },
    });
    aws.endpoint.resetStats();
    const loaded = await loadSecrets(manifest, aws.options());
    expect(aws.endpoint.stats().calls).toEqual({ BatchGetSecretValue: 1, GetSecretValue: 1 });
    expect(loaded.get('jwt').secret).toBe(second.secret);
    expect(loaded.previous('jwt')?.secret).toBe(first.secret);
    expect(loaded.versionId('jwt')).toBe(secondVersion);
    expect(loaded.previousVersionId('jwt')).toBe(firstVersion);
    expect(() => loaded.previous('plain')).toThrow(/keepPrevious/);
    loaded.close();
  });

  it('retries throttling with backoff and then succeeds', async () => {
    await aws.createSecret('estate/dev/throttled', { token: random() });
    const manifest = defineSecrets({ service: 'throttled', secrets: { t: secret('throttled', Token) } });
    aws.endpoint.resetStats();
    aws.endpoint.addFault({ kind: 'throttle', operation: 'BatchGetSecretValue', count: 3 });
    const loaded = await loadSecrets(manifest, aws.options());
    expect(aws.endpoint.stats().calls.BatchGetSecretValue).toBe(4);
    loaded.close();
  });

  it('retries 500s and dropped connections', async () => {
    await aws.createSecret('estate/dev/flaky', { token: random() });
    const manifest = defineSecrets({ service: 'flaky', secrets: { t: secret('flaky', Token) } });
    aws.endpoint.setFaults([
      { kind: 'error500', operation: 'BatchGetSecretValue', count: 1 },
      { kind: 'drop', operation: 'BatchGetSecretValue', count: 1 },
    ]);
    const loaded = await loadSecrets(manifest, aws.options());
    expect(loaded.get('t').token).toBeTruthy();
    loaded.close();
  });

  it('fails fast with a clear message when throttling outlasts the deadline', async () => {
    await aws.createSecret('estate/dev/always-throttled', { token: random() });
    const manifest = defineSecrets({
      service: 'deadline',
      secrets: { t: secret('always-throttled', Token) },
    });
    aws.endpoint.addFault({ kind: 'throttle', operation: 'BatchGetSecretValue' });
    const error = await loadError(loadSecrets(manifest, aws.options({ startupDeadlineMs: 1_000 })));
    expect(error.problems[0]?.errorName).toBe('RetryDeadlineError');
    expect(error.message).toMatch(/gave up after \d+ attempts in \d+ ms: ThrottlingException/);
  });

  it('does not let a hanging endpoint outlast the deadline', async () => {
    await aws.createSecret('estate/dev/slow', { token: random() });
    const manifest = defineSecrets({ service: 'slow', secrets: { t: secret('slow', Token) } });
    aws.endpoint.addFault({ kind: 'latency', latencyMs: 1_500, operation: 'BatchGetSecretValue' });
    const error = await loadError(loadSecrets(manifest, aws.options({ startupDeadlineMs: 300 })));
    expect(error.message).toMatch(/gave up after 1 attempt in \d+ ms: TimeoutError/);
  });

  it('does not retry access denied or not found', async () => {
    const manifest = defineSecrets({ service: 'noretry', secrets: { t: secret('does-not-exist', Token) } });
    aws.endpoint.resetStats();
    await loadError(loadSecrets(manifest, aws.options()));
    expect(aws.endpoint.stats().calls).toEqual({ BatchGetSecretValue: 1 });
  });
});

describe('loadSecrets: access policy', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({
      admins: ['local-admin'],
      principals: {
        'local-backend': {
          service: 'backend',
          secrets: ['estate/dev/database'],
          parameters: ['/estate/dev/config/log_level'],
        },
      },
    });
    await aws.createSecret('estate/dev/database', {
      host: '127.0.0.1',
      port: 5432,
      dbname: 'estate',
      username: 'estate',
      password: random(),
    });
    await aws.createSecret('estate/dev/jwt', { secret: random(48), issuer: 'estate-test', expiresIn: '15m' });
  });
  afterAll(() => aws.stop());

  it('names the ARN and the IAM action for a secret outside the policy', async () => {
    const manifest = defineSecrets({
      service: 'backend',
      secrets: { database: secret('database', DatabaseSecret), jwt: secret('jwt', JwtSecret) },
    });
    const backend = { accessKeyId: 'local-backend', secretAccessKey: 'local' };
    const error = await loadError(loadSecrets(manifest, aws.options({}, backend)));
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem).toMatchObject({ name: 'estate/dev/jwt', errorName: 'AccessDeniedException' });
    expect(problem?.hint).toMatch(
      /^missing IAM action secretsmanager:GetSecretValue on arn:aws:secretsmanager:ap-northeast-2:\d+:secret:estate\/dev\/jwt-\w{6}$/,
    );
  });

  it('names ssm:GetParameters and the parameter ARN for a denied parameter', async () => {
    const manifest = defineSecrets({
      service: 'backend',
      secrets: { database: secret('database', DatabaseSecret) },
      parameters: { origins: parameter('config/allowed_origins', z.string(), { default: 'x' }) },
    });
    const backend = { accessKeyId: 'local-backend', secretAccessKey: 'local' };
    const error = await loadError(loadSecrets(manifest, aws.options({}, backend)));
    expect(error.problems[0]).toMatchObject({
      name: '/estate/dev/config/allowed_origins',
      errorName: 'AccessDeniedException',
    });
    expect(error.problems[0]?.hint).toMatch(
      /missing IAM action ssm:GetParameters on arn:aws:ssm:.*parameter\/estate\/dev\/config\/allowed_origins/,
    );
  });
});
