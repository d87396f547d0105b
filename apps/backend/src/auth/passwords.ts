import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { LegacyBcrypt } from './legacy-bcrypt';

const argon2Async = promisify(argon2);

/** Argon2id cost, as OWASP's Password Storage Cheat Sheet recommends at minimum: 19 MiB, 2 passes, 1 lane. */
export interface PasswordHashing {
  memoryKiB: number;
  passes: number;
  parallelism: number;
  /** Hashes computed at once (each holds a libuv thread-pool thread and `memoryKiB` of memory). */
  maxConcurrent: number;
  /** Hashes waiting for a slot; one more is refused with PasswordHashingBusyError. */
  maxWaiting: number;
}

export const OWASP_ARGON2ID: PasswordHashing = {
  memoryKiB: 19_456,
  passes: 2,
  parallelism: 1,
  maxConcurrent: 2,
  maxWaiting: 32,
};

/** What the auth routes need of password hashing (the bench swaps in the old bcryptjs path). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string | undefined): Promise<boolean>;
  needsRehash(hash: string): boolean;
}

/** Every hashing slot is taken and the queue is full: the caller should answer 503 + Retry-After. */
export class PasswordHashingBusyError extends Error {
  override readonly name = 'PasswordHashingBusyError';
  constructor() {
    super('password hashing is at capacity');
  }
}

const SALT_BYTES = 16;
const TAG_BYTES = 32;
const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/**
 * Password hashes in PHC form (`$argon2id$v=19$m=..,t=..,p=..$salt$hash`), computed by the
 * runtime's Argon2id on the libuv thread pool, never on the event loop. A bounded number run at
 * once, so a login flood waits its turn (or is refused) instead of taking every pool thread from
 * DNS and the file system. bcrypt hashes of older accounts are still verified (in a worker
 * thread) and reported by `needsRehash`, so a successful login upgrades them.
 *
 * The failure path costs the same whether the account exists or not: an unknown email is
 * checked against a dummy hash of the same cost.
 */
export class Passwords implements PasswordHasher {
  private readonly slots: HashingSlots;
  private readonly legacy = new LegacyBcrypt();
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly cost: PasswordHashing = OWASP_ARGON2ID) {
    this.slots = new HashingSlots(cost.maxConcurrent, cost.maxWaiting);
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const { memoryKiB: m, passes: t, parallelism: p } = this.cost;
    const tag = await this.slots.run(() => derive(password, salt, m, t, p));
    return `$argon2id$v=19$m=${m},t=${t},p=${p}$${unpadded(salt)}$${unpadded(tag)}`;
  }

  /** True only when `hash` is given and matches; always does one full computation. */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    if (hash === undefined) {
      this.dummyHash ??= this.hash('estate-dummy-password-for-timing');
      await this.verify(password, await this.dummyHash);
      return false;
    }
    const parsed = PHC.exec(hash);
    if (parsed) {
      const [, m, t, p, salt, expected] = parsed;
      const expectedTag = Buffer.from(expected!, 'base64');
      const tag = await this.slots.run(() =>
        derive(password, Buffer.from(salt!, 'base64'), Number(m), Number(t), Number(p), expectedTag.length),
      );
      return tag.length === expectedTag.length && timingSafeEqual(tag, expectedTag);
    }
    if (LegacyBcrypt.recognises(hash)) return this.slots.run(() => this.legacy.compare(password, hash));
    return false;
  }

  /** A hash made by another algorithm or other costs: rehash it once the password is known. */
  needsRehash(hash: string): boolean {
    const parsed = PHC.exec(hash);
    if (!parsed) return true;
    const [, m, t, p] = parsed;
    const { memoryKiB, passes, parallelism } = this.cost;
    return Number(m) !== memoryKiB || Number(t) !== passes || Number(p) !== parallelism;
  }

  async close(): Promise<void> {
    await this.legacy.close();
  }
}

function derive(password: string, salt: Buffer, m: number, t: number, p: number, tagLength = TAG_BYTES) {
  return argon2Async('argon2id', {
    message: password,
    nonce: salt,
    memory: m,
    passes: t,
    parallelism: p,
    tagLength,
  });
}

const unpadded = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** At most `max` tasks at once and `maxWaiting` in line; a freed slot goes straight to the next. */
class HashingSlots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly max: number,
    private readonly maxWaiting: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.max) this.active += 1;
    else if (this.waiting.length >= this.maxWaiting) throw new PasswordHashingBusyError();
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
