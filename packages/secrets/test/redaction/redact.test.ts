import { inspect } from 'node:util';
import { z } from 'zod';
import { redact } from '../../src';
import { DatabaseSecret, notSecret, RabbitmqSecret } from '../../src/catalog';
import { Scrubber, sensitiveValues } from '../../src/redaction';
import { generatedValues, random } from '../support/local-aws';

describe('redact()', () => {
  const value = {
    ...generatedValues().database,
    ssl: { ca: random(40), rejectUnauthorized: true },
    list: [random()],
  };
  const redacted = redact(value);

  it('prints [redacted] through inspect, console formatting, JSON, String and template strings, nested too', () => {
    for (const printed of [
      inspect(redacted),
      inspect({ wrapper: redacted }, { depth: 10 }),
      JSON.stringify(redacted),
      JSON.stringify({ wrapper: redacted.ssl }),
      String(redacted),
      `${redacted}`,
      `${redacted.ssl}`,
      inspect(redacted.list),
    ]) {
      expect(printed).toContain('[redacted]');
      expect(printed).not.toContain(value.password);
      expect(printed).not.toContain(value.ssl.ca);
      expect(printed).not.toContain(value.list[0]);
    }
  });

  it('keeps fields readable and the copy deep-frozen', () => {
    expect(redacted.password).toBe(value.password);
    expect(redacted.ssl.ca).toBe(value.ssl.ca);
    expect(Object.keys(redacted)).toEqual(Object.keys(value));
    expect(Object.isFrozen(redacted) && Object.isFrozen(redacted.ssl)).toBe(true);
    expect(redacted).not.toBe(value);
  });
});

describe('sensitive values and the scrubber', () => {
  it('takes every string not marked notSecret, and the password inside a URL', () => {
    const db = DatabaseSecret.parse(generatedValues().database);
    expect(sensitiveValues(DatabaseSecret, db, 'database')).toEqual([
      { label: 'database.password', value: db.password },
    ]);
    const { rabbitmq } = generatedValues();
    const password = new URL(rabbitmq.url).password;
    expect(sensitiveValues(RabbitmqSecret, rabbitmq, 'rabbitmq')).toEqual([
      { label: 'rabbitmq.url', value: rabbitmq.url },
      { label: 'rabbitmq.url.password', value: password },
    ]);
  });

  it('treats fields the schema does not know as secret (sensitive by default)', () => {
    const schema = z.object({ host: notSecret(z.string()) }).passthrough();
    const extra = random();
    expect(sensitiveValues(schema, { host: 'db', extra }, 'g')).toEqual([{ label: 'g.extra', value: extra }]);
  });

  it('replaces raw and JSON-escaped forms, longest first', () => {
    const short = random(6);
    const long = `${short}${random(6)}`;
    const quoted = `${random(6)}"${random(6)}`;
    const values = [
      { label: 'a.short', value: short },
      { label: 'a.long', value: long },
      { label: 'a.quoted', value: quoted },
    ];
    const scrubber = new Scrubber(() => values);
    expect(scrubber.scrub(`x ${long} y ${short} z`)).toBe('x [redacted:a.long] y [redacted:a.short] z');
    expect(scrubber.scrub(JSON.stringify({ msg: quoted }))).toBe('{"msg":"[redacted:a.quoted]"}');
  });
});
