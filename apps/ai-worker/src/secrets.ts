import { defineSecrets, parameter, secret } from '@estate/secrets';
import {
  DatabaseSecret,
  LogLevel,
  OpenaiSecret,
  PositiveInteger,
  RedisSecret,
} from '@estate/secrets/catalog';
import { z } from 'zod';

/** Everything the AI worker may read. Its IAM policy and local access policy are derived from this. */
export const manifest = defineSecrets({
  service: 'ai-worker',
  secrets: {
    database: secret('database', DatabaseSecret),
    redis: secret('redis', RedisSecret),
    openai: secret('openai', OpenaiSecret),
  },
  parameters: {
    logLevel: parameter('config/log_level', LogLevel, { default: 'info' }),
    openaiModel: parameter('config/openai_model', z.string().trim().min(1), { default: 'gpt-4o-mini' }),
    concurrency: parameter('config/worker_concurrency', PositiveInteger, { default: '4' }),
    openaiCallsPerMinute: parameter('config/openai_calls_per_minute', PositiveInteger, { default: '60' }),
  },
});
