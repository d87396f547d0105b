import { setTimeout as sleep } from 'node:timers/promises';
import { send } from './isolated-stack';

/** One answer of the backend, with what a fault test looks at. */
export interface Answer {
  path: string;
  status: number;
  retryAfter: string | null;
  ms: number;
  body: string;
}

/** fetch with headers and timing kept (the body goes to the leak scan); a timeout or refusal is status 0. */
export async function timedRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = Date.now();
  try {
    const { response, text } = await send(baseUrl, method, path, options);
    return {
      path,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      ms: Date.now() - started,
      body: text,
    };
  } catch (error) {
    return { path, status: 0, retryAfter: null, ms: Date.now() - started, body: (error as Error).message };
  }
}

/**
 * One client per request kind, each sending its request again as soon as it is answered, until
 * `stop()` (one slow kind cannot hold the others back); every answer is kept, in order.
 */
export function keepRequesting(requests: Array<() => Promise<Answer>>): {
  answers: Answer[];
  stop(): Promise<void>;
} {
  const answers: Answer[] = [];
  let running = true;
  const loops = requests.map(async (request) => {
    while (running) {
      answers.push(await request());
      await sleep(20);
    }
  });
  return {
    answers,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes; resolves with the last result. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return check();
}
