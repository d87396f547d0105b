import type { RedisSecret } from '@estate/secrets/catalog';
import type { RedisOptions } from 'ioredis';

/** ioredis options for the redis secret: TLS (with the secret's CA) when the secret has it. */
export function redisConnection(secret: RedisSecret): RedisOptions {
  return {
    host: secret.host,
    port: secret.port,
    password: secret.password,
    tls: secret.tls
      ? {
          servername: secret.tls.servername,
          ca: secret.tls.ca ? Buffer.from(secret.tls.ca, 'base64').toString('utf8') : undefined,
        }
      : undefined,
  };
}
