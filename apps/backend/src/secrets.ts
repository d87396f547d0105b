import { defineSecrets, parameter, runtimeSecrets, secret } from '@estate/secrets';
import {
  DatabaseSecret,
  JwtSecret,
  LogLevel,
  RabbitmqSecret,
  RedisSecret,
  SegmentSecret,
  SesSecret,
  StringList,
} from '@estate/secrets/catalog';

/**
 * Everything the backend may read, and the prefix it manages at runtime. Its IAM policy and local
 * access policy are derived from this.
 */
export const manifest = defineSecrets({
  service: 'backend',
  secrets: {
    database: secret('database', DatabaseSecret),
    redis: secret('redis', RedisSecret),
    rabbitmq: secret('rabbitmq', RabbitmqSecret),
    // AWSPREVIOUS too: tokens signed before a rotation keep verifying until they expire.
    jwt: secret('jwt', JwtSecret, { keepPrevious: true }),
    ses: secret('ses', SesSecret),
    segment: secret('segment', SegmentSecret, { optional: true }),
  },
  parameters: {
    logLevel: parameter('config/log_level', LogLevel, { default: 'info' }),
    allowedOrigins: parameter('config/allowed_origins', StringList, { default: 'http://localhost:5173' }),
  },
  runtime: {
    // Per-organization integration credentials, estate/{env}/orgs/{orgId}/{tool} (RuntimeSecretStore).
    orgIntegrations: runtimeSecrets('orgs'),
  },
});
