import type Redis from 'ioredis';
import { reachRedis } from '../redis/reach';

export interface RateLimitRule {
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

// INCR and the expiry in one step, so a crash between them cannot leave a counter without TTL.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`;

/**
 * A fixed-window counter in Redis, shared by every backend replica. While Redis cannot be reached
 * `hit` throws RedisUnavailableError at once (the client has no offline queue): the login route
 * fails closed with 503, since attempts it cannot count are attempts it cannot limit.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async hit(bucket: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const [count, ttl] = (await reachRedis(this.redis, () =>
      this.redis.eval(HIT, 1, `${this.keyPrefix}ratelimit:${bucket}`, String(rule.windowMs)),
    )) as [number, number];
    return {
      allowed: count <= rule.limit,
      remaining: Math.max(0, rule.limit - count),
      retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)),
    };
  }
}
