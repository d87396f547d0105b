import { createServer, type Server } from 'node:http';
import type { SecretsHealth } from '@estate/secrets';
import type { Registry } from 'prom-client';

export interface HealthServerDeps {
  /** Dependency checks for /readyz; each resolves when reachable. */
  checks: Record<string, () => Promise<unknown>>;
  secrets: { health(): SecretsHealth };
  registry: Registry;
  /** Per check. */
  checkTimeoutMs?: number;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * /healthz (the process answers), /readyz (every check passes and the secrets are fresh),
 * /metrics (the prom-client registry: job metrics and the secrets metrics). Not started here:
 * the caller listens.
 */
export function createHealthServer(deps: HealthServerDeps): Server {
  const timeoutMs = deps.checkTimeoutMs ?? 2_000;
  return createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET') return send(405, { error: 'method not allowed' });
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') return send(200, { status: 'ok' });
    if (path === '/readyz') {
      void readiness(deps, timeoutMs).then(({ ready, checks }) =>
        send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks }),
      );
      return;
    }
    if (path === '/metrics') {
      void deps.registry.metrics().then(
        (text) => {
          response.writeHead(200, { 'content-type': deps.registry.contentType });
          response.end(text);
        },
        () => send(500, { error: 'metrics unavailable' }),
      );
      return;
    }
    send(404, { error: 'not found' });
  });
}

async function readiness(
  deps: HealthServerDeps,
  timeoutMs: number,
): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const names = Object.keys(deps.checks);
  const results = await Promise.allSettled(names.map((name) => withTimeout(deps.checks[name]!(), timeoutMs)));
  const checks: Record<string, string> = {};
  let ready = true;
  results.forEach((result, index) => {
    const ok = result.status === 'fulfilled';
    ready &&= ok;
    // The error's name and message of a connection failure; no values reach these.
    checks[names[index]!] = ok ? 'ok' : `failed: ${errorText(result.reason)}`;
  });
  const health = deps.secrets.health();
  ready &&= health.status === 'fresh';
  checks.secrets = health.status;
  return { ready, checks };
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
