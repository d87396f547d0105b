import { addMonths, monthsBetween, Period, periodOf, RegionCode } from '@estate/contracts';
import type { Router } from 'express';
import { z } from 'zod';
import { authenticate } from '../auth/authenticate';
import type { Tokens } from '../auth/tokens';
import { type MarketData, monthBounds } from '../db/market';
import { ApiError } from '../http/api-error';
import type { ApiDocs } from '../http/openapi';
import { Routes } from '../http/routes';

/** The longest range one request may ask for, in months. */
export const MAX_MONTHS = 60;

export const RegionParams = z.strictObject({ code: RegionCode });
export const MonthRangeQuery = z.strictObject({
  from: Period.optional(),
  to: Period.optional(),
});
export const TradesQuery = MonthRangeQuery.extend({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const IndexParams = z.strictObject({
  tableId: z.string().regex(/^[A-Za-z0-9_]{1,40}$/, 'must be an R-ONE table id such as A_2024_00045'),
});
export const IndexQuery = MonthRangeQuery.extend({
  cls: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,40}$/, 'must be an R-ONE class id')
    .optional(),
});

const Trade = z.object({
  dealDate: z.string(),
  apartment: z.string(),
  building: z.string().nullable(),
  neighbourhood: z.string().nullable(),
  jibun: z.string().nullable(),
  floor: z.number().nullable(),
  buildYear: z.number().nullable(),
  areaM2: z.number(),
  priceManwon: z.number().describe('price in 10,000 KRW'),
  cancelled: z.boolean(),
  cancelDate: z.string().nullable(),
});
const MonthStats = z.object({
  month: z.string(),
  deals: z.number(),
  medianPricePerM2: z.number().nullable().describe('KRW per square metre, cancelled deals excluded'),
  cancellations: z.number(),
});
const IndexSeries = z.object({
  clsId: z.string(),
  clsName: z.string().nullable(),
  itemId: z.string(),
  itemName: z.string().nullable(),
  unit: z.string().nullable(),
  points: z.array(z.object({ period: z.string(), value: z.number().nullable() })),
});

/** from..to inclusive; defaults to the twelve months up to this one; from <= to and at most MAX_MONTHS. */
export function resolveMonths(
  query: { from?: string; to?: string },
  now: Date,
): { from: string; to: string } {
  const to = query.to ?? periodOf(now);
  const from = query.from ?? addMonths(to, -11);
  if (monthsBetween(from, to) < 0) {
    throw new ApiError(400, 'invalid_range', 'from must not be after to', 'from');
  }
  if (monthsBetween(from, to) + 1 > MAX_MONTHS) {
    throw new ApiError(400, 'range_too_long', `a range spans at most ${MAX_MONTHS} months`, 'to');
  }
  return { from, to };
}

const toNumber = (value: string | null) => (value === null ? null : Number(value));

export function marketRoutes(deps: {
  market: MarketData;
  tokens: Tokens;
  clock: () => Date;
  docs: ApiDocs;
}): Router {
  const routes = new Routes(deps.docs, authenticate(deps.tokens));

  routes.add(
    {
      method: 'get',
      path: '/api/v1/regions/:code/trades',
      summary: 'Apartment deals of a region by month range, paged; cancelled deals flagged',
      auth: true,
      params: RegionParams,
      query: TradesQuery,
      response: {
        status: 200,
        description: 'one page of deals',
        schema: z.object({
          region: z.string(),
          from: z.string(),
          to: z.string(),
          page: z.number(),
          pageSize: z.number(),
          total: z.number(),
          items: z.array(Trade),
        }),
      },
    },
    async ({ params: { code }, query }, _request, response) => {
      const months = resolveMonths(query, deps.clock());
      const { rows, total } = await deps.market.trades(code, monthBounds(months.from, months.to), {
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      response.json({
        region: code,
        ...months,
        page: query.page,
        pageSize: query.pageSize,
        total,
        items: rows.map((row) => ({
          dealDate: row.deal_date,
          apartment: row.apt_nm,
          building: row.apt_dong,
          neighbourhood: row.umd_nm,
          jibun: row.jibun,
          floor: row.floor,
          buildYear: row.build_year,
          areaM2: Number(row.exclu_use_ar),
          priceManwon: Number(row.deal_amount),
          cancelled: row.cancelled,
          cancelDate: row.cancel_date,
        })),
      });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/v1/regions/:code/stats',
      summary: 'Per month: deal count, median price per square metre, cancellations',
      auth: true,
      params: RegionParams,
      query: MonthRangeQuery,
      response: {
        status: 200,
        description: 'monthly statistics',
        schema: z.object({
          region: z.string(),
          from: z.string(),
          to: z.string(),
          months: z.array(MonthStats),
        }),
      },
    },
    async ({ params: { code }, query }, _request, response) => {
      const months = resolveMonths(query, deps.clock());
      const rows = await deps.market.monthlyStats(code, monthBounds(months.from, months.to));
      response.json({
        region: code,
        ...months,
        months: rows.map((row) => ({
          month: row.month,
          deals: row.deals,
          medianPricePerM2: row.median_price_per_m2,
          cancellations: row.cancellations,
        })),
      });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/v1/indices/:tableId',
      summary: 'R-ONE monthly series of one statistics table, optionally one class',
      auth: true,
      params: IndexParams,
      query: IndexQuery,
      response: {
        status: 200,
        description: 'series',
        schema: z.object({
          tableId: z.string(),
          from: z.string(),
          to: z.string(),
          series: z.array(IndexSeries),
        }),
      },
    },
    async ({ params: { tableId }, query }, _request, response) => {
      const months = resolveMonths(query, deps.clock());
      const rows = await deps.market.indexSeries(tableId, query.cls, months.from, months.to);
      const series = new Map<string, z.infer<typeof IndexSeries>>();
      for (const row of rows) {
        const key = `${row.cls_id}\u0000${row.itm_id}`;
        let entry = series.get(key);
        if (!entry) {
          entry = {
            clsId: row.cls_id,
            clsName: row.cls_nm,
            itemId: row.itm_id,
            itemName: row.itm_nm,
            unit: row.ui_nm,
            points: [],
          };
          series.set(key, entry);
        }
        const period = `${row.wrttime_idtfr_id.slice(0, 4)}-${row.wrttime_idtfr_id.slice(4, 6)}`;
        entry.points.push({ period, value: toNumber(row.dta_val) });
      }
      response.json({ tableId, ...months, series: [...series.values()] });
    },
  );

  return routes.router;
}
