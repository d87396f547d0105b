import type { JwtSecret } from '@estate/secrets/catalog';
import jwt from 'jsonwebtoken';
import { ApiError } from '../http/api-error';

/** What tokens need from the secrets container: the jwt group, current and previous, with versions. */
export interface JwtKeys {
  current(): { key: JwtSecret; versionId: string | undefined };
  previous(): { key: JwtSecret | undefined; versionId: string | undefined };
}

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
 */
export class Tokens {
  constructor(private readonly keys: JwtKeys) {}

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

  verify(token: string): TokenClaims {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string')
      throw unauthorized('invalid_token', 'the token is malformed');
    if (decoded.header.alg !== 'HS256') {
      throw unauthorized('unsupported_algorithm', 'tokens must be signed with HS256');
    }
    const key = this.keyFor(decoded.header.kid);
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

  private keyFor(kid: string | undefined): JwtSecret {
    if (!kid) throw unauthorized('unknown_kid', 'the token names no signing key');
    const current = this.keys.current();
    if (kid === current.versionId) return current.key;
    const previous = this.keys.previous();
    if (previous.key && kid === previous.versionId) return previous.key;
    throw unauthorized('unknown_kid', 'the token was signed with a key this service does not hold');
  }
}
