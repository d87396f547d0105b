import { randomBytes } from 'node:crypto';
import type { JwtSecret } from '@estate/secrets/catalog';
import jwt from 'jsonwebtoken';
import { Tokens } from '../src/auth/tokens';

// Pure logic of the forced refresh on an unknown kid: in-memory keys, a fake clock.
function keyring() {
  const key = (): JwtSecret => ({
    secret: randomBytes(32).toString('base64url'),
    issuer: 'estate-test',
    expiresIn: '15m',
  });
  const state = {
    current: { key: key(), versionId: 'v1' },
    previous: { key: undefined as JwtSecret | undefined, versionId: undefined as string | undefined },
  };
  /** What Secrets Manager holds; `refresh()` copies it into `state`. */
  const remote = { ...state };
  const refresh = jest.fn(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    state.current = remote.current;
    state.previous = remote.previous;
  });
  const rotate = () => {
    remote.previous = { key: remote.current.key, versionId: remote.current.versionId };
    remote.current = { key: key(), versionId: `v${Number(remote.current.versionId.slice(1)) + 1}` };
  };
  return {
    state,
    remote,
    refresh,
    rotate,
    keys: { current: () => state.current, previous: () => state.previous, refresh },
  };
}

const signWith = (key: JwtSecret, kid: string) =>
  jwt.sign({ email: 'a@example.com' }, key.secret, {
    algorithm: 'HS256',
    keyid: kid,
    issuer: key.issuer,
    subject: 'u1',
  });

describe('Tokens: an unknown kid forces one rate-limited refresh', () => {
  it('verifies a token signed with a key another replica loaded first, after one refresh', async () => {
    const ring = keyring();
    const tokens = new Tokens(ring.keys);
    ring.rotate();
    const token = signWith(ring.remote.current.key, ring.remote.current.versionId);
    await expect(tokens.verify(token)).resolves.toEqual({ userId: 'u1', email: 'a@example.com' });
    expect(ring.refresh).toHaveBeenCalledTimes(1);
    // Now held: no further refresh.
    await tokens.verify(token);
    expect(ring.refresh).toHaveBeenCalledTimes(1);
  });

  it('answers unknown_kid to random kids with at most one refresh per interval, shared by concurrent requests', async () => {
    const ring = keyring();
    let now = 0;
    const tokens = new Tokens(ring.keys, { unknownKidRefreshIntervalMs: 10_000, now: () => now });
    const random = () => signWith(ring.state.current.key, randomBytes(8).toString('hex'));
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => tokens.verify(random()).catch((e) => e)),
    );
    expect(answers.every((answer) => answer.code === 'unknown_kid')).toBe(true);
    for (let i = 0; i < 50; i += 1) {
      now += 100; // 5 s of requests
      await expect(tokens.verify(random())).rejects.toMatchObject({ code: 'unknown_kid' });
    }
    expect(ring.refresh).toHaveBeenCalledTimes(1);
    now += 10_000;
    await expect(tokens.verify(random())).rejects.toMatchObject({ code: 'unknown_kid' });
    expect(ring.refresh).toHaveBeenCalledTimes(2);
    expect(tokens.unknownKidRefreshes).toBe(2);
  });

  it('does not refresh for a token without kid, nor when the refresh fails', async () => {
    const ring = keyring();
    const tokens = new Tokens(ring.keys);
    const noKid = jwt.sign({ email: 'a@example.com' }, ring.state.current.key.secret, {
      algorithm: 'HS256',
      subject: 'u1',
    });
    await expect(tokens.verify(noKid)).rejects.toMatchObject({ code: 'unknown_kid' });
    expect(ring.refresh).not.toHaveBeenCalled();
    ring.refresh.mockRejectedValueOnce(new Error('endpoint down'));
    await expect(tokens.verify(signWith(ring.state.current.key, 'v9'))).rejects.toMatchObject({
      code: 'unknown_kid',
    });
  });
});
