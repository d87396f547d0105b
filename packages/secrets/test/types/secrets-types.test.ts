import { z } from 'zod';
import { defineSecrets, loadSecrets, parameter, type Secrets, secret } from '../../src';
import { DatabaseSecret, JwtSecret, LogLevel, SegmentSecret } from '../../src/catalog';

const manifest = defineSecrets({
  service: 'typed',
  secrets: {
    database: secret('database', DatabaseSecret),
    jwt: secret('jwt', JwtSecret, { keepPrevious: true }),
    segment: secret('segment', SegmentSecret, { optional: true }),
  },
  parameters: {
    logLevel: parameter('config/log_level', LogLevel, { default: 'info' }),
    maybe: parameter('config/maybe', z.string(), { optional: true }),
  },
});

/** Compiled by `tsc` (pnpm typecheck): a wrong type here fails the typecheck, not this test. */
function typeChecks(s: Secrets<typeof manifest>) {
  const password: string = s.get('database').password;
  const port: number = s.get('database').port;
  const segment: { writeKey: string } | undefined = s.get('segment');
  // @ts-expect-error an optional group may be absent
  const writeKey: string = s.get('segment').writeKey;
  const previous: string | undefined = s.previous('jwt')?.secret;
  // @ts-expect-error previous() may be undefined before the first rotation
  const previousSecret: string = s.previous('jwt').secret;
  const level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = s.param('logLevel');
  const maybe: string | undefined = s.param('maybe');
  // @ts-expect-error undeclared keys do not compile
  s.get('openai');
  // @ts-expect-error neither do undeclared parameters
  s.param('nope');
  s.onChange('database', (next, prev) => {
    const n: string = next.password;
    const p: string | undefined = prev?.password;
    return [n, p];
  });
  return [password, port, segment, writeKey, previous, previousSecret, level, maybe];
}

it('type-level checks compile (see typeChecks; run by pnpm typecheck)', () => {
  expect(typeof typeChecks).toBe('function');
  expect(typeof loadSecrets).toBe('function');
});
