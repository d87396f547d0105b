import { createHash } from 'node:crypto';
import type { Router } from 'express';
import { z } from 'zod';
import { authenticate, claimsOf } from '../auth/authenticate';
import { type PasswordHasher, PasswordHashingBusyError } from '../auth/passwords';
import type { RateLimiter, RateLimitRule } from '../auth/rate-limiter';
import type { Tokens } from '../auth/tokens';
import { EmailTakenError, type Memberships, type UserRow, type Users } from '../db/users';
import { ApiError, notFound, unavailable } from '../http/api-error';
import type { ApiDocs } from '../http/openapi';
import { Routes } from '../http/routes';
import { RedisUnavailableError } from '../redis/reach';

const Email = z
  .email()
  .max(254)
  .transform((value) => value.trim());
const Password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(72, 'must be at most 72 characters');

export const RegisterBody = z.strictObject({
  email: Email,
  password: Password,
  displayName: z.string().trim().min(1).max(100).optional(),
  organizationName: z.string().trim().min(1).max(200).optional(),
});

export const LoginBody = z.strictObject({
  email: Email,
  password: z.string().min(1).max(72),
});

const User = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string().nullable(),
  createdAt: z.string(),
});
const Organization = z.object({ id: z.uuid(), name: z.string(), role: z.enum(['owner', 'admin', 'member']) });
const TokenResponse = z.object({
  token: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.union([z.string(), z.number()]),
});

export interface AuthRateLimits {
  perIp: RateLimitRule;
  perEmail: RateLimitRule;
}

export interface AuthRoutesDeps {
  users: Users;
  memberships: Memberships;
  passwords: PasswordHasher;
  tokens: Tokens;
  limiter: RateLimiter;
  limits: AuthRateLimits;
  docs: ApiDocs;
}

const toUser = (row: UserRow) => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  createdAt: row.created_at.toISOString(),
});

export function authRoutes(deps: AuthRoutesDeps): Router {
  const routes = new Routes(deps.docs, authenticate(deps.tokens));

  routes.add(
    {
      method: 'post',
      path: '/api/v1/auth/register',
      summary: 'Create an account and its own organization',
      auth: false,
      body: RegisterBody,
      response: {
        status: 201,
        description: 'created',
        schema: z.object({ user: User, organization: Organization }),
      },
      errors: [409, 503],
    },
    async ({ body }, _request, response) => {
      const passwordHash = await unlessBusy(() => deps.passwords.hash(body.password));
      try {
        const { user, organization } = await deps.users.register({
          email: body.email,
          passwordHash,
          displayName: body.displayName ?? null,
          organizationName: body.organizationName ?? `${body.displayName ?? body.email}'s organization`,
        });
        response.status(201).json({ user: toUser(user), organization: { ...organization, role: 'owner' } });
      } catch (error) {
        if (error instanceof EmailTakenError) {
          throw new ApiError(409, 'email_taken', 'an account with this email already exists', 'email');
        }
        throw error;
      }
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/v1/auth/login',
      summary: 'Exchange email and password for a bearer token (rate limited per IP and per email)',
      auth: false,
      body: LoginBody,
      response: { status: 200, description: 'a token', schema: TokenResponse },
      errors: [401, 429, 503],
    },
    async ({ body }, request, response) => {
      await limit(deps, `login:ip:${request.ip}`, deps.limits.perIp);
      // The address is hashed: Redis keys must not be a list of our users' emails.
      const emailKey = createHash('sha256').update(body.email.toLowerCase()).digest('hex');
      await limit(deps, `login:email:${emailKey}`, deps.limits.perEmail);
      const user = await deps.users.findByEmail(body.email);
      const valid = await unlessBusy(() => deps.passwords.verify(body.password, user?.password_hash));
      if (!user || !valid) throw new ApiError(401, 'invalid_credentials', 'wrong email or password');
      if (deps.passwords.needsRehash(user.password_hash)) {
        // An older hash (bcrypt, or weaker costs) is replaced now that the password is known. A
        // failure is logged and leaves the old hash working: it is retried at the next login.
        await deps.passwords
          .hash(body.password)
          .then((upgraded) => deps.users.upgradePasswordHash(user.id, user.password_hash, upgraded))
          .catch((error: unknown) => request.log?.warn({ err: error }, 'password hash upgrade failed'));
      }
      const { token, expiresIn } = deps.tokens.sign({ userId: user.id, email: user.email });
      response.json({ token, tokenType: 'Bearer', expiresIn });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/v1/me',
      summary: 'The signed-in user and their organizations',
      auth: true,
      response: {
        status: 200,
        description: 'the user',
        schema: z.object({ user: User, organizations: z.array(Organization) }),
      },
      errors: [404],
    },
    async (_input, request, response) => {
      const { userId } = claimsOf(request);
      const user = await deps.users.findById(userId);
      if (!user) throw notFound('user');
      response.json({ user: toUser(user), organizations: await deps.memberships.organizationsOf(userId) });
    },
  );

  return routes.router;
}

/** Seconds a client is told to wait when every password hashing slot is taken. */
export const HASHING_RETRY_AFTER_SECONDS = 1;

/** A login or registration flood waits for a hashing slot; past the queue it is told to come back. */
async function unlessBusy<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof PasswordHashingBusyError)) throw error;
    throw unavailable(
      'busy',
      'too many passwords are being checked right now; retry shortly',
      HASHING_RETRY_AFTER_SECONDS,
    );
  }
}

/** Seconds a client is told to wait while the attempt counter's Redis is away. */
export const LIMITER_RETRY_AFTER_SECONDS = 5;

async function limit(deps: AuthRoutesDeps, bucket: string, rule: RateLimitRule): Promise<void> {
  let decision: Awaited<ReturnType<RateLimiter['hit']>>;
  try {
    decision = await deps.limiter.hit(bucket, rule);
  } catch (error) {
    if (!(error instanceof RedisUnavailableError)) throw error;
    // Fails closed: without the counter, password guessing would be unlimited.
    throw unavailable(
      'rate_limit_unavailable',
      'login attempts cannot be counted right now; retry later',
      LIMITER_RETRY_AFTER_SECONDS,
    );
  }
  if (decision.allowed) return;
  throw new ApiError(429, 'rate_limited', 'too many login attempts; try again later', null, {
    'Retry-After': String(decision.retryAfterSeconds),
  });
}
