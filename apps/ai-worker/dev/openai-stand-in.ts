import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A development stand-in for the OpenAI API: POST /v1/chat/completions only, deterministic JSON
 * answers derived from the prompt, and switches for the failures the worker must survive.
 * Never imported by src/: the worker's real `openai` client is pointed at it through the openai
 * secret's baseURL.
 */

/** One scripted answer; queued answers are used once each, in order, before `mode`. */
export type StandInAnswer =
  | 'ok'
  | 'invalid-json'
  | 'invalid-shape'
  | { status: 429; retryAfterSeconds?: number }
  | { status: 500 | 502 | 503 };

export interface StandInBehaviour {
  /** The answer when no scripted one is queued. */
  mode: StandInAnswer;
  /** Answered in order, one per request, before falling back to `mode`. */
  script: StandInAnswer[];
  /** When set, any other bearer token gets 401 (before any scripted answer is used). */
  acceptedApiKey: string | undefined;
  /** Wait before answering, for slow-model and crash tests. */
  delayMs: number;
}

export interface RecordedRequest {
  at: number;
  model: string | undefined;
  status: number;
  responseFormat: string | undefined;
}

export interface OpenAIStandIn {
  /** The baseURL for the openai client (ends in /v1). */
  baseURL: string;
  readonly requests: readonly RecordedRequest[];
  /** Requests received whose answer is still being delayed. */
  inFlight(): number;
  configure(change: Partial<StandInBehaviour>): void;
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULT_BEHAVIOUR: StandInBehaviour = {
  mode: 'ok',
  script: [],
  acceptedApiKey: undefined,
  delayMs: 0,
};

interface ChatRequest {
  model?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  response_format?: { type?: string };
}

interface PromptStatistics {
  region?: string;
  period?: string;
  months?: Array<{
    period?: string;
    deals?: number;
    cancellations?: number;
    medianPricePerM2?: { krw?: number; ko?: string; en?: string } | null;
  }>;
}

function statisticsIn(request: ChatRequest): PromptStatistics {
  const user = [...(request.messages ?? [])].reverse().find((message) => message.role === 'user');
  const text = typeof user?.content === 'string' ? user.content : '';
  const block = /```json\n([\s\S]*?)\n```/.exec(text);
  if (!block?.[1]) return {};
  try {
    return JSON.parse(block[1]) as PromptStatistics;
  } catch {
    return {};
  }
}

/** The same prompt always gets the same summary. */
export function answerFor(request: ChatRequest): Record<string, unknown> {
  const stats = statisticsIn(request);
  const months = stats.months ?? [];
  const current = months.find((month) => month.period === stats.period) ?? months[months.length - 1];
  const first = months[0]?.medianPricePerM2?.krw;
  const last = current?.medianPricePerM2?.krw;
  let trend = 'flat';
  if (first !== undefined && last !== undefined && first > 0) {
    const change = (last - first) / first;
    if (change > 0.01) trend = 'up';
    if (change < -0.01) trend = 'down';
  }
  const region = stats.region ?? 'unknown';
  const period = stats.period ?? 'unknown';
  const deals = current?.deals ?? 0;
  return {
    summaryKo: `${region} 지역 ${period} 아파트 매매는 ${deals}건이며, ㎡당 중위 가격은 ${current?.medianPricePerM2?.ko ?? '자료 없음'}입니다.`,
    summaryEn: `Region ${region} recorded ${deals} apartment sales in ${period}; the median price per m² was ${current?.medianPricePerM2?.en ?? 'not available'}.`,
    trend,
    highlights: [`거래 취소 ${current?.cancellations ?? 0}건`],
  };
}

function completion(request: ChatRequest, content: string): Record<string, unknown> {
  const id = createHash('sha256').update(content).digest('hex').slice(0, 24);
  return {
    id: `chatcmpl-standin-${id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1_000),
    model: request.model ?? 'stand-in',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

function apiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

/** The real API quotes the first and last characters of a rejected key; so do we. */
function masked(key: string): string {
  return key.length <= 8 ? '***' : `${key.slice(0, 3)}***${key.slice(-4)}`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startOpenAIStandIn(
  options: Partial<StandInBehaviour> & { port?: number; host?: string } = {},
): Promise<OpenAIStandIn> {
  const { port = 0, host = '127.0.0.1', ...initial } = options;
  let behaviour: StandInBehaviour = { ...DEFAULT_BEHAVIOUR, ...initial, script: [...(initial.script ?? [])] };
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  const delays = new Set<NodeJS.Timeout>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.add(timer);
    });

  const send = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    if (response.destroyed) return;
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'POST' && path === '/__stand-in/behaviour') {
      behaviour = { ...behaviour, ...(JSON.parse(await readBody(request)) as Partial<StandInBehaviour>) };
      return send(response, 200, {
        ...behaviour,
        acceptedApiKey: behaviour.acceptedApiKey ? 'set' : 'unset',
      });
    }
    if (request.method !== 'POST' || path !== '/v1/chat/completions') {
      return send(
        response,
        404,
        apiError(`Unknown request URL: ${request.method} ${path}`, 'invalid_request_error', 'unknown_url'),
      );
    }
    let body: ChatRequest;
    try {
      body = JSON.parse(await readBody(request)) as ChatRequest;
    } catch {
      return send(
        response,
        400,
        apiError('We could not parse the JSON body of your request.', 'invalid_request_error', null),
      );
    }
    const record = (status: number) =>
      requests.push({
        at: Date.now(),
        model: body.model,
        status,
        responseFormat: body.response_format?.type,
      });

    inFlight += 1;
    try {
      if (behaviour.delayMs > 0) await delay(behaviour.delayMs);
    } finally {
      inFlight -= 1;
    }
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (behaviour.acceptedApiKey !== undefined && key !== behaviour.acceptedApiKey) {
      record(401);
      return send(
        response,
        401,
        apiError(`Incorrect API key provided: ${masked(key)}.`, 'invalid_request_error', 'invalid_api_key'),
      );
    }
    const answer = behaviour.script.shift() ?? behaviour.mode;
    if (typeof answer === 'object') {
      record(answer.status);
      if (answer.status === 429) {
        const headers: Record<string, string> =
          answer.retryAfterSeconds === undefined ? {} : { 'retry-after': String(answer.retryAfterSeconds) };
        return send(
          response,
          429,
          apiError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'),
          headers,
        );
      }
      return send(
        response,
        answer.status,
        apiError('The server had an error while processing your request.', 'server_error', null),
      );
    }
    record(200);
    if (answer === 'invalid-json')
      return send(response, 200, completion(body, 'Sure! Here is the summary you asked for.'));
    if (answer === 'invalid-shape') {
      return send(response, 200, completion(body, JSON.stringify({ summaryKo: 42, trend: 'sideways' })));
    }
    return send(response, 200, completion(body, JSON.stringify(answerFor(body))));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() =>
      send(response, 500, apiError('stand-in failure', 'server_error', null)),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    baseURL: `http://${host}:${address.port}/v1`,
    requests,
    inFlight: () => inFlight,
    configure(change) {
      behaviour = { ...behaviour, ...change, script: [...(change.script ?? behaviour.script)] };
    },
    reset() {
      behaviour = { ...DEFAULT_BEHAVIOUR, script: [] };
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        // Answers still being delayed (a killed worker's request) must not keep the process alive.
        for (const timer of delays) clearTimeout(timer);
        delays.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
