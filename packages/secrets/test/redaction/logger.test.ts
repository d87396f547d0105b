import { Writable } from 'node:stream';
import { manifest } from '../../../../apps/backend/src/secrets';
import { createSecretsLogger, loadSecrets, type Secrets } from '../../src';
import { type LocalAws, seedBackend, startLocalAws } from '../support/local-aws';

function buffer() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createSecretsLogger (leak guard)', () => {
  let aws: LocalAws;
  let secrets: Secrets<typeof manifest>;
  let values: Awaited<ReturnType<typeof seedBackend>>;

  beforeAll(async () => {
    aws = await startLocalAws();
    values = await seedBackend(aws);
    secrets = await loadSecrets(manifest, aws.options());
  });
  afterAll(async () => {
    secrets.close();
    await aws.stop();
  });

  it('replaces every loaded value in msg, fields, nested objects and err.stack', () => {
    const out = buffer();
    const log = createSecretsLogger(secrets, { level: 'info' }, out.stream);
    const db = secrets.get('database');
    log.info(
      { password: db.password, nested: { url: secrets.get('rabbitmq').url } },
      `connecting with ${db.password}`,
    );
    log.error({ err: new Error(`auth failed for ${secrets.get('jwt').secret}`) }, 'failed');
    log.warn(`smtp ${secrets.get('ses').smtpPassword} and "${new URL(values.rabbitmq.url).password}"`);
    log.info({ whole: db, host: db.host }, 'whole object');
    const text = out.text();
    for (const secret of [
      values.database.password,
      values.jwt.secret,
      values.ses.smtpPassword,
      values.rabbitmq.url,
      values.redis.password,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted:database.password]');
    expect(text).toContain('[redacted:rabbitmq.url]');
    expect(text).toContain('[redacted:jwt.secret]');
    expect(text).toContain('[redacted:rabbitmq.url.password]');
    expect(text).toContain('"whole":"[redacted]"');
    expect(text).toContain('127.0.0.1'); // notSecret fields stay readable
  });

  it('follows refreshes: a rotated value is scrubbed, and so is the value it replaced', async () => {
    const out = buffer();
    const log = createSecretsLogger(secrets, {}, out.stream);
    const old = secrets.get('jwt').secret;
    const next = { ...values.jwt, secret: `${old.slice(0, 8)}${Date.now()}rotated-key-material` };
    await aws.putSecret('estate/dev/jwt', next);
    await secrets.refresh();
    log.info(`new ${next.secret} old ${old}`);
    expect(out.text()).toContain('new [redacted:jwt.secret] old [redacted:jwt.previous.secret]');
  });
});
