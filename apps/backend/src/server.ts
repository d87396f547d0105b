import type { Database } from '@estate/platform';
import type { Secrets } from '@estate/secrets';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { Counter, Histogram, type Registry } from 'prom-client';
import { OWASP_ARGON2ID, type PasswordHasher, type PasswordHashing, Passwords } from './auth/passwords';
import { RateLimiter } from './auth/rate-limiter';
import { Tokens, type TokensOptions, UNKNOWN_KID_REFRESH_INTERVAL_MS } from './auth/tokens';
import { MarketData } from './db/market';
import { Memberships, Users } from './db/users';
import { notFound } from './http/api-error';
import { errorHandler } from './http/error-handler';
import { ApiDocs } from './http/openapi';
import type { IntegrationStore } from './integrations/integration-store';
import type { SummaryQueue } from './queue/summary-queue';
import { type AuthRateLimits, authRoutes } from './routes/auth';
import { healthRoutes } from './routes/health';
import { integrationRoutes } from './routes/integrations';
import { marketRoutes } from './routes/market';
import { summaryRoutes } from './routes/summaries';
import type { manifest } from './secrets';

export type BackendSecrets = Secrets<typeof manifest>;

export interface ServerSettings {
  /** express.json limit. */
  bodyLimit: string;
  /** Argon2id costs and the bound on concurrent hashing (OWASP's minimum by default). */
  passwordHashing: PasswordHashing;
  loginLimits: AuthRateLimits;
  /** express "trust proxy": how many proxies stand in front (for per-IP limits). */
  trustProxy: number | boolean;
  /** The refresh an unknown kid forces: at most one per interval. */
  tokens: TokensOptions;
}

export interface ServerDeps {
  secrets: BackendSecrets;
  db: Database;
  redis: Redis;
  /** Prefix of every Redis key the server writes (rate limits). */
  redisKeyPrefix: string;
  summaries: SummaryQueue;
  integrations: IntegrationStore;
  /** The RabbitMQ consumer, for /readyz. */
  events: { isConnected(): boolean };
  /** A leak-guarded logger (createSecretsLogger). */
  logger: Logger;
  registry: Registry;
  clock?: () => Date;
  /** Default: Argon2id with `settings.passwordHashing`. */
  passwords?: PasswordHasher;
  settings?: Partial<ServerSettings>;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  bodyLimit: '16kb',
  passwordHashing: OWASP_ARGON2ID,
  loginLimits: {
    perIp: { limit: 20, windowMs: 60_000 },
    perEmail: { limit: 5, windowMs: 15 * 60_000 },
  },
  trustProxy: false,
  tokens: { unknownKidRefreshIntervalMs: UNKNOWN_KID_REFRESH_INTERVAL_MS },
};

export function createServer(deps: ServerDeps): Express {
  const settings = { ...DEFAULT_SETTINGS, ...deps.settings };
  const clock = deps.clock ?? (() => new Date());
  const docs = new ApiDocs();
  const tokens = new Tokens(
    {
      current: () => ({ key: deps.secrets.get('jwt'), versionId: deps.secrets.versionId('jwt') }),
      previous: () => ({
        key: deps.secrets.previous('jwt'),
        versionId: deps.secrets.previousVersionId('jwt'),
      }),
      refresh: () => deps.secrets.refresh('jwt'),
    },
    settings.tokens,
  );
  const memberships = new Memberships(deps.db);
  const market = new MarketData(deps.db);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy);
  app.use(helmet());
  app.use(
    cors({
      // Read per request: a changed allowed_origins parameter applies after the next refresh.
      origin: (origin, callback) => {
        callback(null, origin !== undefined && deps.secrets.param('allowedOrigins').includes(origin));
      },
    }),
  );
  app.use(requestLogging(deps.logger));
  app.use(requestMetrics(deps.registry));
  app.use(express.json({ limit: settings.bodyLimit, strict: true }));

  app.use(
    healthRoutes(
      {
        database: () => deps.db.ping(),
        redis: async () => {
          await deps.redis.ping();
        },
        // The job queue's own connection: it reconnects on its own schedule after an outage.
        queue: () => deps.summaries.ready(),
        rabbitmq: async () => {
          if (!deps.events.isConnected()) throw new Error('not connected');
        },
        secrets: async () => {
          const health = deps.secrets.health();
          if (health.status === 'fresh') return;
          const stale = Object.entries(health.groups).filter(([, group]) => group.stale);
          throw new Error(`stale: ${stale.map(([key]) => key).join(', ')}`);
        },
      },
      deps.registry,
    ),
  );
  app.use(
    authRoutes({
      users: new Users(deps.db),
      memberships,
      passwords: deps.passwords ?? new Passwords(settings.passwordHashing),
      tokens,
      limiter: new RateLimiter(deps.redis, deps.redisKeyPrefix),
      limits: settings.loginLimits,
      docs,
    }),
  );
  app.use(marketRoutes({ market, tokens, clock, docs }));
  app.use(summaryRoutes({ market, summaries: deps.summaries, tokens, docs }));
  app.use(integrationRoutes({ store: deps.integrations, memberships, tokens, docs }));

  const openapi = docs.document();
  app.get('/api/v1/openapi.json', (_request, response) => {
    response.json(openapi);
  });
  app.use((_request, _response, next) => next(notFound('route')));
  app.use(errorHandler);
  return app;
}

function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    // Method and path only: headers carry bearer tokens and cookies.
    serializers: {
      req: (request: { id: unknown; method: string; url: string }) => ({
        id: request.id,
        method: request.method,
        url: request.url.split('?')[0],
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    // 503 is the answer we chose while a dependency is away (Redis): expected, so a warning.
    customLogLevel: (_request, response, error) =>
      error || (response.statusCode >= 500 && response.statusCode !== 503)
        ? 'error'
        : response.statusCode >= 400
          ? 'warn'
          : 'info',
  });
}

function requestMetrics(registry: Registry): express.RequestHandler {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests =
    (registry.getSingleMetric('estate_http_requests_total') as Counter<(typeof labelNames)[number]>) ??
    new Counter({
      name: 'estate_http_requests_total',
      help: 'HTTP requests',
      labelNames,
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric('estate_http_request_duration_seconds') as Histogram<
      (typeof labelNames)[number]
    >) ??
    new Histogram({
      name: 'estate_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  return (request, response, next) => {
    const end = duration.startTimer();
    response.on('finish', () => {
      // The route pattern, not the URL, so label cardinality stays bounded.
      const route = (request.route?.path as string | undefined) ?? 'unmatched';
      const labels = { method: request.method, route, status: String(response.statusCode) };
      requests.inc(labels);
      end(labels);
    });
    next();
  };
}
