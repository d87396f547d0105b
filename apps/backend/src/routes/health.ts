import { Router } from 'express';
import type { Registry } from 'prom-client';

/** One dependency /readyz asks about; resolves when reachable, rejects (or times out) when not. */
export type ReadinessCheck = () => Promise<void>;

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(check: ReadinessCheck): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
    check().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export function healthRoutes(checks: Record<string, ReadinessCheck>, registry: Registry): Router {
  const router = Router();

  // Process up: no dependency is consulted, so a Redis outage does not get the pod restarted.
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  router.get('/readyz', async (_request, response) => {
    const names = Object.keys(checks);
    const results = await Promise.allSettled(names.map((name) => withTimeout(checks[name]!)));
    const report: Record<string, { ok: boolean; error?: string }> = {};
    results.forEach((result, index) => {
      report[names[index]!] =
        result.status === 'fulfilled'
          ? { ok: true }
          : { ok: false, error: (result.reason as Error)?.message ?? 'failed' };
    });
    const failing = names.filter((name) => !report[name]!.ok);
    response.status(failing.length === 0 ? 200 : 503).json({
      status: failing.length === 0 ? 'ready' : 'not_ready',
      failing,
      checks: report,
    });
  });

  router.get('/metrics', async (_request, response) => {
    response.type(registry.contentType).send(await registry.metrics());
  });

  return router;
}
