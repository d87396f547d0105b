import { Period } from '@estate/contracts';
import type { Router } from 'express';
import { z } from 'zod';
import { authenticate } from '../auth/authenticate';
import type { Tokens } from '../auth/tokens';
import type { MarketData } from '../db/market';
import { ApiError, notFound, unavailable } from '../http/api-error';
import type { ApiDocs } from '../http/openapi';
import { Routes } from '../http/routes';
import { QueueUnavailableError, type SummaryQueue } from '../queue/summary-queue';
import { RegionParams } from './market';

export const SummaryBody = z.strictObject({ period: Period.optional() });
export const JobParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be a job id'),
});

const Job = z.object({
  id: z.string(),
  state: z.string(),
  data: z.object({ region: z.string(), period: z.string(), dataVersion: z.string() }),
  result: z.unknown(),
  failedReason: z.string().nullable(),
  attemptsMade: z.number(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export function summaryRoutes(deps: {
  market: MarketData;
  summaries: SummaryQueue;
  tokens: Tokens;
  docs: ApiDocs;
}): Router {
  const routes = new Routes(deps.docs, authenticate(deps.tokens));

  routes.add(
    {
      method: 'post',
      path: '/api/v1/regions/:code/summary',
      summary:
        'Request an AI summary of a month (default: the newest loaded); one job per region, period and data version',
      auth: true,
      params: RegionParams,
      body: SummaryBody,
      bodyOptional: true,
      response: {
        status: 202,
        description: 'queued (200 when the same job already exists)',
        schema: z.object({ job: Job, created: z.boolean() }),
      },
      errors: [404, 503],
    },
    async ({ params: { code }, body }, _request, response) => {
      const latest = await deps.market.latestDataVersion(code, body.period);
      if (!latest) {
        throw new ApiError(
          404,
          'no_market_data',
          `no deals are loaded for region ${code}${body.period ? ` in ${body.period}` : ''}`,
        );
      }
      const { job, created } = await unlessUnavailable(() =>
        deps.summaries.enqueue({ region: code, ...latest }),
      );
      response
        .status(created ? 202 : 200)
        .location(`/api/v1/jobs/${job.id}`)
        .json({ job, created });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/v1/jobs/:id',
      summary: 'State and result of a summary job',
      auth: true,
      params: JobParams,
      response: { status: 200, description: 'the job', schema: z.object({ job: Job }) },
      errors: [404, 503],
    },
    async ({ params: { id } }, _request, response) => {
      const job = await unlessUnavailable(() => deps.summaries.find(id));
      if (!job) throw notFound('job');
      response.json({ job });
    },
  );

  return routes.router;
}

/** Seconds a client is told to wait while the job queue's Redis is away (it reconnects within about that). */
export const QUEUE_RETRY_AFTER_SECONDS = 5;

/** A queue that cannot reach Redis answers 503 with Retry-After at once, rather than hang or 500. */
async function unlessUnavailable<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof QueueUnavailableError)) throw error;
    throw unavailable(
      'queue_unavailable',
      'summary jobs cannot be reached right now; retry later',
      QUEUE_RETRY_AFTER_SECONDS,
    );
  }
}
