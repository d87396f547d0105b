// The worker thread of MolitPageReader: decodes, parses and normalises MOLIT pages off the job's
// main thread. One message at a time, in the order sent, so a month's pages keep their order.
import { parentPort } from 'node:worker_threads';
import { SourceError } from '../../errors';
import { Ordinals } from '../../normalise/deal';
import { type DealPeriod, readDealPage } from './deal-page';
import type { PageReply, PageRequest } from './page-protocol';

const months = new Map<number, DealPeriod>();
const decoder = new TextDecoder();
const port = parentPort;
if (!port) throw new Error('page-worker runs as a worker thread');

port.on('message', (message: PageRequest) => {
  if (message.type === 'open') {
    months.set(message.month, { region: message.region, period: message.period, ordinals: new Ordinals() });
    return;
  }
  if (message.type === 'close') {
    months.delete(message.month);
    return;
  }
  const month = months.get(message.month);
  let reply: PageReply;
  try {
    if (!month) throw new Error(`page of month ${message.month}, which is not open`);
    const body = decoder.decode(message.body);
    const page = readDealPage(message.status, body, message.context, month);
    reply = { request: message.request, page };
  } catch (error) {
    reply = { request: message.request, error: describe(error) };
  }
  port.postMessage(reply, reply.page?.kind === 'items' ? [reply.page.copy.buffer as ArrayBuffer] : []);
});

function describe(error: unknown): NonNullable<PageReply['error']> {
  if (error instanceof SourceError) {
    return {
      name: error.name,
      message: error.message,
      source: {
        code: error.code,
        source: error.source,
        sourceCode: error.sourceCode,
        scope: error.scope,
        retryable: error.retryable,
      },
    };
  }
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
