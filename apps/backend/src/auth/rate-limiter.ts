import type Redis from 'ioredis';

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

/** A fixed-window counter in Redis, shared by every backend replica. */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async hit(bucket: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const [count, ttl] = (await this.redis.eval(
      HIT,
      1,
      `${this.keyPrefix}ratelimit:${bucket}`,
      String(rule.windowMs),
    )) as [number, number];
    return {
      allowed: count <= rule.limit,
      remaining: Math.max(0, rule.limit - count),
      retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)),
    };
  }
}
