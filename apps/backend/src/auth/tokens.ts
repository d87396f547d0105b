import type { JwtSecret } from '@estate/secrets/catalog';
import jwt from 'jsonwebtoken';
import { ApiError } from '../http/api-error';

/** What tokens need from the secrets container: the jwt group, current and previous, with versions. */
export interface JwtKeys {
  current(): { key: JwtSecret; versionId: string | undefined };
  previous(): { key: JwtSecret | undefined; versionId: string | undefined };
  /** Forces a refresh of the jwt group (`secrets.refresh('jwt')`: coalesced, never throws). */
  refresh(): Promise<unknown>;
}

export interface TokensOptions {
  /** At most one refresh forced by an unknown kid per this many ms (default 10 s). */
  unknownKidRefreshIntervalMs?: number;
  /** Milliseconds now; for tests. */
  now?: () => number;
}

export const UNKNOWN_KID_REFRESH_INTERVAL_MS = 10_000;

export interface TokenClaims {
  userId: string;
  email: string;
}

export type TokenFailure =
  | 'missing_token'
  | 'invalid_token'
  | 'unsupported_algorithm'
  | 'unknown_kid'
  | 'token_expired';

const unauthorized = (code: TokenFailure, message: string) =>
  new ApiError(401, code, message, null, { 'WWW-Authenticate': `Bearer error="invalid_token"` });

/**
 * HS256 tokens whose `kid` is the signing key's Secrets Manager version id. Verification picks the
 * key by kid among AWSCURRENT and AWSPREVIOUS, so tokens issued before a rotation keep working
 * until they expire, and a token from any other key is refused without trying keys in turn.
 *
 * A kid this process does not hold may be a key another replica already loaded after a rotation:
 * the keys are refreshed once and looked up again before answering `unknown_kid`. Those forced
 * refreshes share one request while it runs and happen at most once per interval, so tokens with
 * made-up kids cannot make the service hammer Secrets Manager.
 */
export class Tokens {
  private readonly refreshIntervalMs: number;
  private readonly now: () => number;
  private lastForcedRefreshAt = Number.NEGATIVE_INFINITY;
  private forcedRefresh: Promise<unknown> | undefined;
  private forcedRefreshes = 0;

  constructor(
    private readonly keys: JwtKeys,
    options: TokensOptions = {},
  ) {
    this.refreshIntervalMs = options.unknownKidRefreshIntervalMs ?? UNKNOWN_KID_REFRESH_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /** How many refreshes unknown kids have forced (for tests and metrics). */
  get unknownKidRefreshes(): number {
    return this.forcedRefreshes;
  }

  sign(claims: TokenClaims): { token: string; expiresIn: string | number } {
    const { key, versionId } = this.keys.current();
    if (!versionId) throw new Error('the jwt secret has no version id');
    const token = jwt.sign({ email: claims.email }, key.secret, {
      algorithm: 'HS256',
      keyid: versionId,
      issuer: key.issuer,
      subject: claims.userId,
      expiresIn: key.expiresIn as jwt.SignOptions['expiresIn'],
    });
    return { token, expiresIn: key.expiresIn };
  }

  async verify(token: string): Promise<TokenClaims> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string')
      throw unauthorized('invalid_token', 'the token is malformed');
    if (decoded.header.alg !== 'HS256') {
      throw unauthorized('unsupported_algorithm', 'tokens must be signed with HS256');
    }
    const key = await this.keyFor(decoded.header.kid);
    try {
      const payload = jwt.verify(token, key.secret, { algorithms: ['HS256'], issuer: key.issuer });
      if (
        typeof payload === 'string' ||
        typeof payload.sub !== 'string' ||
        typeof payload.email !== 'string'
      ) {
        throw unauthorized('invalid_token', 'the token does not name a user');
      }
      return { userId: payload.sub, email: payload.email };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (error instanceof jwt.TokenExpiredError)
        throw unauthorized('token_expired', 'the token has expired');
      throw unauthorized('invalid_token', 'the token is not valid');
    }
  }

  private async keyFor(kid: string | undefined): Promise<JwtSecret> {
    if (!kid) throw unauthorized('unknown_kid', 'the token names no signing key');
    const held = this.heldKey(kid);
    if (held) return held;
    await this.refreshForUnknownKid();
    const refreshed = this.heldKey(kid);
    if (refreshed) return refreshed;
    throw unauthorized('unknown_kid', 'the token was signed with a key this service does not hold');
  }

  private heldKey(kid: string): JwtSecret | undefined {
    const current = this.keys.current();
    if (kid === current.versionId) return current.key;
    const previous = this.keys.previous();
    if (previous.key && kid === previous.versionId) return previous.key;
    return undefined;
  }

  /** Joins the running forced refresh, or starts one unless one started within the interval. */
  private async refreshForUnknownKid(): Promise<void> {
    if (!this.forcedRefresh) {
      const now = this.now();
      if (now - this.lastForcedRefreshAt < this.refreshIntervalMs) return;
      this.lastForcedRefreshAt = now;
      this.forcedRefreshes += 1;
      this.forcedRefresh = this.keys.refresh().finally(() => {
        this.forcedRefresh = undefined;
      });
    }
    // A failed refresh leaves the held keys: the kid is then unknown.
    await this.forcedRefresh.catch(() => {});
  }
}
