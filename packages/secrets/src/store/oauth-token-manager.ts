import { z } from 'zod';
import { OAuthTokenRefreshError } from './errors';
import type { RuntimeSecretStore } from './runtime-secret-store';

/** What an OAuth integration stores in its secret. Extra fields are kept on write-back. */
export const OAuthCredential = z.looseObject({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  /** ISO 8601. */
  expiresAt: z.iso.datetime({ offset: true }),
  tokenType: z.string().optional(),
  tokenEndpoint: z.url().optional(),
  clientId: z.string().min(1).optional(),
});
export type OAuthCredential = z.infer<typeof OAuthCredential>;

export interface OAuthClientOptions {
  /** The provider's token endpoint; falls back to the stored `tokenEndpoint`. */
  tokenEndpoint?: string;
  /** Falls back to the stored `clientId`. */
  clientId?: string;
  /** Confidential clients; sent as HTTP Basic (RFC 6749 section 2.3.1) unless clientAuth is 'body'. */
  clientSecret?: string;
  clientAuth?: 'basic' | 'body';
  /** Optional narrower scope (RFC 6749 section 6). */
  scope?: string;
}

export interface OAuthTokenManagerOptions {
  store: Pick<RuntimeSecretStore, 'get' | 'put'>;
  fetch?: typeof globalThis.fetch;
  /** Refresh this long before expiry. Default five minutes. */
  bufferMs?: number;
  /** Lifetime assumed when the token response has no expires_in. Default one hour. */
  defaultExpiresInSeconds?: number;
  now?: () => number;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

const OAUTH_ERROR_CODE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/;

/**
 * Access tokens for stored OAuth credentials, refreshed ahead of expiry with the refresh_token
 * grant and written back to the store. One refresh per secret at a time: concurrent callers
 * share it, so a rotating refresh token is never spent twice.
 */
export class OAuthTokenManager {
  private readonly store: OAuthTokenManagerOptions['store'];
  private readonly fetch: typeof globalThis.fetch;
  private readonly bufferMs: number;
  private readonly defaultExpiresInSeconds: number;
  private readonly now: () => number;
  private readonly refreshing = new Map<string, Promise<string>>();

  constructor(options: OAuthTokenManagerOptions) {
    this.store = options.store;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.bufferMs = options.bufferMs ?? 5 * 60_000;
    this.defaultExpiresInSeconds = options.defaultExpiresInSeconds ?? 3600;
    this.now = options.now ?? Date.now;
  }

  async getAccessToken(name: string, client: OAuthClientOptions = {}): Promise<string> {
    const pending = this.refreshing.get(name);
    if (pending) return pending;
    const stored = await this.store.get(name, OAuthCredential);
    if (this.isFresh(stored)) return stored.accessToken;

    const again = this.refreshing.get(name);
    if (again) return again;
    const refresh = this.refresh(name, client).finally(() => this.refreshing.delete(name));
    this.refreshing.set(name, refresh);
    return refresh;
  }

  private isFresh(credential: OAuthCredential): boolean {
    return Date.parse(credential.expiresAt) - this.now() > this.bufferMs;
  }

  private async refresh(name: string, client: OAuthClientOptions): Promise<string> {
    // Read past the cache: another process may have refreshed (and spent the refresh token) already.
    const stored = await this.store.get(name, OAuthCredential, { fresh: true });
    if (this.isFresh(stored)) return stored.accessToken;

    let answer: z.infer<typeof TokenResponse>;
    try {
      answer = await this.requestToken(name, stored, client);
    } catch (error) {
      // A transient failure while the current token is still valid: use it, try again next call.
      if (
        error instanceof OAuthTokenRefreshError &&
        error.transient &&
        Date.parse(stored.expiresAt) > this.now()
      ) {
        return stored.accessToken;
      }
      throw error;
    }

    const expiresIn = answer.expires_in ?? this.defaultExpiresInSeconds;
    const next: OAuthCredential = {
      ...stored,
      accessToken: answer.access_token,
      // RFC 6749 section 6: the server MAY issue a new refresh token; keep the old one when it does not.
      refreshToken: answer.refresh_token ?? stored.refreshToken,
      expiresAt: new Date(this.now() + expiresIn * 1000).toISOString(),
      ...(answer.token_type ? { tokenType: answer.token_type } : {}),
    };
    await this.store.put(name, next);
    return next.accessToken;
  }

  private async requestToken(
    name: string,
    stored: OAuthCredential,
    client: OAuthClientOptions,
  ): Promise<z.infer<typeof TokenResponse>> {
    const tokenEndpoint = client.tokenEndpoint ?? stored.tokenEndpoint;
    const clientId = client.clientId ?? stored.clientId;
    if (!stored.refreshToken) {
      throw new OAuthTokenRefreshError(name, {
        transient: false,
        reason: 'the stored credential has no refreshToken',
      });
    }
    if (!tokenEndpoint) {
      throw new OAuthTokenRefreshError(name, {
        transient: false,
        reason: 'no tokenEndpoint given or stored',
      });
    }

    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stored.refreshToken });
    if (client.scope) body.set('scope', client.scope);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (client.clientSecret !== undefined && (client.clientAuth ?? 'basic') === 'basic' && clientId) {
      const encode = (part: string) => encodeURIComponent(part).replace(/%20/g, '+');
      headers.authorization = `Basic ${Buffer.from(`${encode(clientId)}:${encode(client.clientSecret)}`).toString('base64')}`;
    } else {
      if (clientId) body.set('client_id', clientId);
      if (client.clientSecret !== undefined) body.set('client_secret', client.clientSecret);
    }

    let response: Response;
    try {
      response = await this.fetch(tokenEndpoint, { method: 'POST', headers, body: body.toString() });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new OAuthTokenRefreshError(name, {
        transient: true,
        reason: `token endpoint unreachable (${code})`,
      });
    }
    const payload: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const oauthError = oauthErrorCode(payload);
      throw new OAuthTokenRefreshError(name, {
        oauthError,
        status: response.status,
        transient: response.status >= 500 || response.status === 429,
        reason: `token endpoint answered HTTP ${response.status}${oauthError ? ` ${oauthError}` : ''}`,
      });
    }
    const parsed = TokenResponse.safeParse(payload);
    if (!parsed.success) {
      throw new OAuthTokenRefreshError(name, {
        status: response.status,
        transient: false,
        reason: 'token endpoint answered without a usable access_token',
      });
    }
    return parsed.data;
  }
}

/** The `error` member of an RFC 6749 section 5.2 error response; error_description is not kept (providers may echo input). */
function oauthErrorCode(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const code = (payload as { error?: unknown }).error;
  return typeof code === 'string' && OAUTH_ERROR_CODE.test(code) ? code : undefined;
}
