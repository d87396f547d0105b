import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  DatabaseSecret,
  JwtSecret,
  KrebSecret,
  MolitSecret,
  OpenaiSecret,
  RabbitmqSecret,
  RedisSecret,
  SegmentSecret,
  SesSecret,
} from './schemas';

/** Local ports of the development stand-ins for the outside APIs (see apps/*\/dev). */
export const DEV_STAND_IN_PORTS = { openai: 4010, kreb: 4020, molit: 4021 } as const;

export interface CatalogEntry<S extends z.ZodType = z.ZodType> {
  schema: S;
  description: string;
  /**
   * Development value for the servers on this machine. Fields that are keys are random on every
   * call; `seed` only calls this for a group that does not exist yet, so dev keys are generated
   * once, at first run, and never written to the repository.
   */
  dev?: () => z.input<S>;
  /** Rotation strategy the rotator applies to this group, when it rotates. */
  rotation?: 'random-key' | 'postgres-password';
}

const randomKey = (bytes = 32) => randomBytes(bytes).toString('base64url');

function localRabbitmqUrl(): string {
  // RabbitMQ's own default account on a developer machine; assembled so no credential URL is written down.
  const url = new URL('amqp://127.0.0.1:5672/');
  url.username = 'guest';
  url.password = 'guest';
  return url.toString();
}

export const catalog = {
  database: {
    schema: DatabaseSecret,
    description: 'PostgreSQL connection (password rotated by the rotator)',
    // The local server trusts local connections, so the generated password is not checked there.
    dev: () => ({
      host: '127.0.0.1',
      port: 5432,
      dbname: 'estate',
      username: 'postgres',
      password: randomKey(24),
    }),
    rotation: 'postgres-password',
  },
  redis: {
    schema: RedisSecret,
    description: 'Redis connection for BullMQ and rate limits',
    dev: () => ({ host: '127.0.0.1', port: 6379 }),
  },
  rabbitmq: {
    schema: RabbitmqSecret,
    description: 'RabbitMQ URL for estate.events',
    dev: () => ({ url: localRabbitmqUrl() }),
  },
  jwt: {
    schema: JwtSecret,
    description: 'HS256 signing key for API tokens',
    dev: () => ({ secret: randomKey(48), issuer: 'estate-dev', expiresIn: '15m' }),
    rotation: 'random-key',
  },
  ses: {
    schema: SesSecret,
    description: 'SES SMTP credentials for transactional mail',
    dev: () => ({
      smtpHost: '127.0.0.1',
      smtpUser: 'estate-dev',
      smtpPassword: randomKey(24),
      fromAddress: 'noreply@estate.localhost',
    }),
  },
  segment: {
    schema: SegmentSecret,
    description: 'Segment write key (optional: analytics off when absent)',
  },
  openai: {
    schema: OpenaiSecret,
    description: 'OpenAI API key for market summaries',
    dev: () => ({ apiKey: randomKey(24), baseURL: `http://127.0.0.1:${DEV_STAND_IN_PORTS.openai}/v1` }),
  },
  kreb: {
    schema: KrebSecret,
    description: 'R-ONE (Korea Real Estate Board) statistics API key',
    dev: () => ({ apiKey: randomKey(24), baseURL: `http://127.0.0.1:${DEV_STAND_IN_PORTS.kreb}/openapi` }),
  },
  molit: {
    schema: MolitSecret,
    description: 'MOLIT apartment deals API service key',
    dev: () => ({ serviceKey: randomKey(24), baseURL: `http://127.0.0.1:${DEV_STAND_IN_PORTS.molit}` }),
  },
} satisfies Record<string, CatalogEntry>;

export type CatalogGroup = keyof typeof catalog;
export const catalogGroups = Object.keys(catalog) as CatalogGroup[];
