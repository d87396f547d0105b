import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Fault, type RequestKey, takeFault } from './faults';
import { molitGateway, molitHeader, molitResponse, type SyntheticDeals } from './molit';
import { roneResponse, roneResult } from './rone';

export const FIXTURES_DIRECTORY = join(__dirname, '..', 'fixtures');

export interface StandInOptions {
  port?: number;
  fixtures?: string;
  synthetic?: SyntheticDeals;
}

export interface StandIn {
  url: string;
  /** `${url}/rone`: the kreb secret's baseURL. */
  roneBaseURL: string;
  /** `${url}/molit`: the molit secret's baseURL. */
  molitBaseURL: string;
  faults: Fault[];
  /** Every API request served (or dropped), in order; keys are never recorded. */
  /** Every request, with when it arrived (`at`, ms since the epoch). */
  requests: Array<RequestKey & { userAgent: string | undefined; at: number }>;
  /** Replaces a region's month (a whole getRTMSDataSvcAptTrade response) until close. */
  setMolitDocument(region: string, period: string, xml: string): void;
  close(): Promise<void>;
}

/**
 * The two outside APIs on one node:http server, from fixture files in their real formats. Never
 * imported by src/: the real clients are pointed at it through the secrets' baseURL.
 */
export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const fixtures = options.fixtures ?? FIXTURES_DIRECTORY;
  const documents = new Map<string, string>();
  const standIn: Omit<StandIn, 'url' | 'roneBaseURL' | 'molitBaseURL' | 'close'> = {
    faults: [],
    requests: [],
    setMolitDocument: (region, period, xml) => documents.set(`${region}/${period}`, xml),
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    if (url.pathname === '/_control/faults') return control(request, response, standIn.faults);
    const source = url.pathname.endsWith('/SttsApiTblData.do')
      ? 'rone'
      : url.pathname.endsWith('/getRTMSDataSvcAptTrade')
        ? 'molit'
        : undefined;
    if (!source) return send(response, 404, 'text/plain', 'not found');
    const query = url.searchParams;
    const key: RequestKey =
      source === 'rone'
        ? {
            source,
            series: query.get('STATBL_ID') ?? '',
            period: query.get('WRTTIME_IDTFR_ID') ?? '',
            page: Number(query.get('pIndex') ?? '1'),
          }
        : {
            source,
            series: query.get('LAWD_CD') ?? '',
            period: query.get('DEAL_YMD') ?? '',
            page: Number(query.get('pageNo') ?? '1'),
          };
    standIn.requests.push({
      ...key,
      userAgent: request.headers['user-agent'],
      at: performance.timeOrigin + performance.now(),
    });
    const fault = takeFault(standIn.faults, key);
    if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'code' || fault?.kind === 'gateway') {
      const code = fault.code ?? '';
      if (source === 'rone')
        return send(response, 200, 'application/json;charset=UTF-8', roneResult(code, 'stand-in fault'));
      const body =
        fault.kind === 'gateway' ? molitGateway(code, 'STAND_IN_FAULT') : molitHeader(code, 'STAND_IN_FAULT');
      return send(response, 200, 'text/xml;charset=UTF-8', body);
    }
    const short = fault?.kind === 'short';
    if (source === 'rone')
      return send(response, 200, 'application/json;charset=UTF-8', roneResponse(fixtures, query, { short }));
    return send(
      response,
      200,
      'text/xml;charset=UTF-8',
      molitResponse(fixtures, documents, options.synthetic, query, { short }),
    );
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => send(response, 500, 'text/plain', 'stand-in error'));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...standIn,
    url,
    roneBaseURL: `${url}/rone`,
    molitBaseURL: `${url}/molit`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function control(request: IncomingMessage, response: ServerResponse, faults: Fault[]): Promise<void> {
  if (request.method === 'DELETE') {
    faults.splice(0);
    return send(response, 204, 'text/plain', '');
  }
  if (request.method === 'GET') return send(response, 200, 'application/json', JSON.stringify(faults));
  let body = '';
  for await (const chunk of request) body += chunk;
  const parsed = JSON.parse(body) as Fault[];
  faults.splice(0, faults.length, ...parsed);
  send(response, 200, 'application/json', JSON.stringify(faults));
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': type });
  response.end(body);
}
