import type { ServerResponse } from 'node:http';
import { FaultRuleError } from '../errors';
import type { FaultInjector } from '../faults';
import type { StatsRecorder } from '../stats';
import type { FaultRule } from '../types';

export interface ControlDeps {
  faults: FaultInjector;
  stats: StatsRecorder;
}

/** Paths of the control API; `/__control/<name>` is an alias of `/__<name>`. */
export function controlRoute(url: string | undefined): 'faults' | 'stats' | 'health' | undefined {
  const path = (url ?? '/').split('?')[0] ?? '/';
  const match = /^\/(?:__control\/|__)(faults|stats|health)\/?$/.exec(path);
  return match?.[1] as 'faults' | 'stats' | 'health' | undefined;
}

/**
 * The control API: not counted in stats, never subject to faults.
 * GET|POST|PUT|DELETE /__faults, GET|DELETE /__stats, GET /__health.
 */
export function handleControl(
  route: 'faults' | 'stats' | 'health',
  method: string,
  body: Buffer,
  response: ServerResponse,
  deps: ControlDeps,
): void {
  try {
    const [status, answer] = controlAnswer(route, method, body, deps);
    reply(response, status, answer);
  } catch (error) {
    if (!(error instanceof FaultRuleError)) throw error;
    reply(response, 400, { error: error.message });
  }
}

function controlAnswer(
  route: 'faults' | 'stats' | 'health',
  method: string,
  body: Buffer,
  deps: ControlDeps,
): [number, unknown] {
  if (route === 'health' && method === 'GET') return [200, { status: 'ok' }];
  if (route === 'stats' && method === 'GET') return [200, deps.stats.snapshot()];
  if (route === 'stats' && method === 'DELETE') {
    deps.stats.reset();
    return [200, deps.stats.snapshot()];
  }
  if (route === 'faults' && method === 'GET') return [200, { faults: deps.faults.list() }];
  if (route === 'faults' && method === 'DELETE') {
    deps.faults.clear();
    return [200, { faults: [] }];
  }
  if (route === 'faults' && (method === 'POST' || method === 'PUT')) {
    const rules = parseJson(body);
    if (method === 'PUT') deps.faults.set(Array.isArray(rules) ? rules : [rules]);
    else deps.faults.add(rules as FaultRule | FaultRule[]);
    return [200, { faults: deps.faults.list() }];
  }
  return [405, { error: `${method} is not supported on /__${route}` }];
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new FaultRuleError('the body is not valid JSON');
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
