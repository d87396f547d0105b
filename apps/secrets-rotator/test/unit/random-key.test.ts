import { randomBytes } from 'node:crypto';
import { generateKey, keyStrength, weakness } from '../../src/strategies/random-key';

describe('random keys', () => {
  it('generates 256-bit base64url keys that pass the strength check', () => {
    for (let i = 0; i < 200; i += 1) {
      const key = generateKey();
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(keyStrength(key).bytes).toBe(32);
      expect(weakness(key)).toBeUndefined();
    }
  });

  it('measures base64url keys by their decoded bytes and other keys by their UTF-8 bytes', () => {
    expect(keyStrength(randomBytes(48).toString('base64url')).bytes).toBe(48);
    expect(keyStrength('plain text key that is not base64url!').bytes).toBe(37);
  });

  it.each([
    ['a short key', 'c2hvcnQ', /fewer than 32/],
    ['one repeated byte', Buffer.alloc(32, 7).toString('base64url'), /distinct byte values/],
    [
      'a repeated pattern',
      Buffer.from('0123456789abcdef'.repeat(4)).toString('base64url'),
      /distinct byte values/,
    ],
    [
      'a counting sequence of 64 bytes',
      Buffer.from(Array.from({ length: 64 }, (_, i) => i % 20)).toString('base64url'),
      /distinct byte values/,
    ],
  ])('refuses %s', (_label, key, reason) => {
    expect(weakness(key)).toMatch(reason);
  });

  it('computes the Shannon estimate over the bytes', () => {
    // 'a!b!' is not base64url, so its UTF-8 bytes count: p = 1/4, 1/2, 1/4 -> 1.5 bits per byte.
    expect(keyStrength('a!b!').entropyBitsPerByte).toBeCloseTo(1.5);
    const uniform = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(keyStrength(uniform.toString('base64url')).entropyBitsPerByte).toBeCloseTo(8);
    expect(weakness(uniform.toString('base64url'))).toBeUndefined();
  });
});
