import { randomBytes } from 'node:crypto';
import { MissingValueError, WeakKeyError } from '../errors';
import type { SecretObject } from '../secret-versions';
import type { RotationStrategy, RotationTarget } from './strategy';

/** The field that holds the key (JwtSecret.secret). */
export const KEY_FIELD = 'secret';
/** 256 bits: the HS256 key size. */
export const KEY_BYTES = 32;

/** Fields of a group's first value when the secret has none yet (Terraform's first rotation). */
const FIRST_VALUE_FIELDS: Record<string, (env: string) => SecretObject> = {
  jwt: (env) => ({ issuer: `estate-${env}`, expiresIn: '15m' }),
};

export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64url');
}

export interface KeyStrength {
  /** Key material in bytes: the decoded length of a base64url key, else the UTF-8 length. */
  bytes: number;
  distinctBytes: number;
  /** Shannon estimate over the key's bytes, in bits per byte. */
  entropyBitsPerByte: number;
}

export function keyStrength(key: string): KeyStrength {
  const decoded = Buffer.from(key, 'base64url');
  const material = decoded.toString('base64url') === key ? decoded : Buffer.from(key, 'utf8');
  const counts = new Map<number, number>();
  for (const byte of material) counts.set(byte, (counts.get(byte) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / material.length;
    entropy -= p * Math.log2(p);
  }
  return { bytes: material.length, distinctBytes: counts.size, entropyBitsPerByte: entropy };
}

/**
 * Why a key is too weak, or undefined. A sample of n bytes can show at most log2(min(n, 256)) bits
 * per byte and min(n, 256) distinct values; 32 random bytes show about 4.8 bits and 30 distinct.
 * The thresholds (75% of the maximum entropy, half the possible distinct values) fail repeated or
 * patterned keys while random ones pass with overwhelming probability.
 */
export function weakness(key: string): string | undefined {
  const strength = keyStrength(key);
  if (strength.bytes < KEY_BYTES) return `has ${strength.bytes} bytes, fewer than ${KEY_BYTES}`;
  const possible = Math.min(strength.bytes, 256);
  if (strength.distinctBytes < possible / 2) {
    return `has ${strength.distinctBytes} distinct byte values, fewer than ${possible / 2}`;
  }
  const minimum = 0.75 * Math.log2(possible);
  if (strength.entropyBitsPerByte < minimum) {
    return `shows ${strength.entropyBitsPerByte.toFixed(2)} bits of entropy per byte, under ${minimum.toFixed(2)}`;
  }
  return undefined;
}

/** JWT signing keys: a new random key; nothing outside Secrets Manager holds it, so setSecret does nothing. */
export const randomKeyStrategy: RotationStrategy = {
  createValue(current: SecretObject | undefined, target: RotationTarget): SecretObject {
    const base = current ?? FIRST_VALUE_FIELDS[target.group]?.(target.env);
    if (base === undefined) {
      throw new MissingValueError(
        target.secretName,
        'has no AWSCURRENT to keep the other fields from, and no first value is defined for this group',
      );
    }
    return { ...base, [KEY_FIELD]: generateKey() };
  },

  async setValue(): Promise<void> {
    // Consumers read the key from Secrets Manager; there is no service to tell.
  },

  async testValue({ pending, current }, target): Promise<void> {
    const key = pending[KEY_FIELD];
    if (typeof key !== 'string') throw new WeakKeyError(target.secretName, `has no '${KEY_FIELD}' string`);
    const reason = weakness(key);
    if (reason !== undefined) throw new WeakKeyError(target.secretName, reason);
    if (current !== undefined && current[KEY_FIELD] === key) {
      throw new WeakKeyError(target.secretName, 'equals the AWSCURRENT key');
    }
  },
};
