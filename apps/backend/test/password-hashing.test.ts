import bcrypt from 'bcryptjs';
import request from 'supertest';
import { OWASP_ARGON2ID } from '../src/auth/passwords';
import { type Backend, startBackend } from './support/backend';
import { random } from './support/seed';

let backend: Backend;

beforeAll(async () => {
  backend = await startBackend();
});

afterAll(async () => {
  await backend.cleanup();
});

const storedHash = async (email: string) =>
  (
    await backend.deps.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE email = $1',
      [email],
    )
  )[0]!.password_hash;

test('an account created under bcrypt logs in, and its hash is upgraded to Argon2id on that login', async () => {
  const email = `legacy-${random(6)}@example.com`;
  const password = 'a password from the bcrypt days';
  await request(backend.app).post('/api/v1/auth/register').send({ email, password }).expect(201);
  // What the previous release stored (bcryptjs, cost 12 in production; 4 keeps the test quick).
  const legacy = bcrypt.hashSync(password, 4);
  await backend.deps.db.query('UPDATE users SET password_hash = $2 WHERE email = $1', [email, legacy]);

  await request(backend.app)
    .post('/api/v1/auth/login')
    .send({ email, password: 'not the password' })
    .expect(401);
  expect(await storedHash(email)).toBe(legacy);

  await request(backend.app).post('/api/v1/auth/login').send({ email, password }).expect(200);
  const upgraded = await storedHash(email);
  expect(upgraded).toMatch(/^\$argon2id\$v=19\$/);
  expect(bcrypt.compareSync(password, legacy)).toBe(true);

  // The upgraded hash is the one that now works, and it is not rewritten again.
  await request(backend.app).post('/api/v1/auth/login').send({ email, password }).expect(200);
  expect(await storedHash(email)).toBe(upgraded);
  await request(backend.app)
    .post('/api/v1/auth/login')
    .send({ email, password: 'not the password' })
    .expect(401);
});

test('a login flood past the hashing queue gets 503 busy with Retry-After, and every other login still answers', async () => {
  const email = `flood-${random(6)}@example.com`;
  const password = 'flood test password';
  await request(backend.app).post('/api/v1/auth/register').send({ email, password }).expect(201);
  const app = backend.withSettings({
    passwordHashing: { ...OWASP_ARGON2ID, maxConcurrent: 1, maxWaiting: 0 },
  });

  const answers = await Promise.all(
    Array.from({ length: 8 }, () => request(app).post('/api/v1/auth/login').send({ email, password })),
  );
  const statuses = answers.map((answer) => answer.status);
  expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
  expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
  const refused = answers.filter((answer) => answer.status === 503);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  for (const answer of refused) {
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.body.error).toMatchObject({ code: 'busy', field: null });
  }
});
