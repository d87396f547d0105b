import type { Request, RequestHandler } from 'express';
import { ApiError } from '../http/api-error';
import type { TokenClaims, Tokens } from './tokens';

const verified = new WeakMap<Request, TokenClaims>();

/** Requires `Authorization: Bearer <token>`; remembers its claims or answers 401 with a reason code. */
export function authenticate(tokens: Tokens): RequestHandler {
  return (request, _response, next) => {
    const header = request.get('authorization');
    const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
    if (!match) {
      next(
        new ApiError(401, 'missing_token', 'send Authorization: Bearer <token>', null, {
          'WWW-Authenticate': 'Bearer',
        }),
      );
      return;
    }
    // Async: an unknown kid may wait for one (shared, rate-limited) refresh of the keys.
    tokens.verify(match[1]!).then((claims) => {
      verified.set(request, claims);
      next();
    }, next);
  };
}

/** The claims authenticate() verified for this request. */
export function claimsOf(request: Request): TokenClaims {
  const claims = verified.get(request);
  if (!claims) throw new Error('authenticate() must run before this handler');
  return claims;
}
