import bcrypt from 'bcryptjs';
import { OWASP_ARGON2ID, PasswordHashingBusyError, Passwords } from '../src/auth/passwords';

// Made by the Argon2 reference implementation (Debian's `argon2` CLI, not our code):
//   echo -n "correct horse battery" | argon2 saltsaltsaltsalt -id -t 2 -k 19456 -p 1 -l 32 -e
const REFERENCE_PASSWORD = 'correct horse battery';
const REFERENCE_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$iPOQ5f2O21FsjnBvo1AiFcDuSXciCnKUrXFO+yfgNoM';

const cheap = { ...OWASP_ARGON2ID, memoryKiB: 1024, passes: 1 };

describe('Passwords', () => {
  const passwords = new Passwords(OWASP_ARGON2ID);
  afterAll(() => passwords.close());

  test("verifies the Argon2 reference implementation's hash, and nothing else", async () => {
    expect(await passwords.verify(REFERENCE_PASSWORD, REFERENCE_HASH)).toBe(true);
    expect(await passwords.verify('correct horse batterY', REFERENCE_HASH)).toBe(false);
    expect(passwords.needsRehash(REFERENCE_HASH)).toBe(false);
  });

  test("hashes with OWASP's minimum Argon2id costs in PHC form, salted afresh each time", async () => {
    const first = await passwords.hash('한국어 비밀번호 long enough');
    const second = await passwords.hash('한국어 비밀번호 long enough');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(await passwords.verify('한국어 비밀번호 long enough', first)).toBe(true);
    expect(await passwords.verify('한국어 비밀번호 long enougH', first)).toBe(false);
  });

  test('no truncation: passwords that differ only after byte 72 are different passwords', async () => {
    const prefix = '가'.repeat(30); // 90 bytes of UTF-8
    const hash = await passwords.hash(`${prefix}a`);
    expect(await passwords.verify(`${prefix}a`, hash)).toBe(true);
    expect(await passwords.verify(`${prefix}b`, hash)).toBe(false);
  });

  test('an unknown account (no hash) and a malformed hash never verify', async () => {
    expect(await passwords.verify(REFERENCE_PASSWORD, undefined)).toBe(false);
    expect(await passwords.verify(REFERENCE_PASSWORD, 'not a hash')).toBe(false);
    expect(await passwords.verify(REFERENCE_PASSWORD, '$argon2id$v=19$m=19456,t=2,p=1$$')).toBe(false);
  });

  test('bcrypt hashes of older accounts still verify (in a worker thread) and ask to be rehashed', async () => {
    const legacy = bcrypt.hashSync('old scheme password', 4);
    expect(await passwords.verify('old scheme password', legacy)).toBe(true);
    expect(await passwords.verify('old scheme passworD', legacy)).toBe(false);
    expect(passwords.needsRehash(legacy)).toBe(true);
  });

  test('hashes made with other costs ask to be rehashed', async () => {
    const weaker = new Passwords(cheap);
    expect(passwords.needsRehash(await weaker.hash('some password here'))).toBe(true);
    expect(weaker.needsRehash(REFERENCE_HASH)).toBe(true);
  });

  test('at most maxConcurrent hashes run and maxWaiting wait; one more is refused at once', async () => {
    const bounded = new Passwords({ ...cheap, maxConcurrent: 1, maxWaiting: 1 });
    const running = bounded.hash('first password');
    const waiting = bounded.hash('second password');
    await expect(bounded.hash('third password')).rejects.toBeInstanceOf(PasswordHashingBusyError);
    await expect(Promise.all([running, waiting])).resolves.toHaveLength(2);
    // The slots are free again.
    await expect(bounded.hash('fourth password')).resolves.toMatch(/^\$argon2id\$/);
  });
});
