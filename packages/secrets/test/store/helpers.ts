import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type LocalEndpoint, start } from '@estate/secrets-local';

export async function startEndpoint(): Promise<LocalEndpoint> {
  return start({ port: 0, quiet: true });
}

export function clientFor(endpoint: LocalEndpoint, maxAttempts = 1): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: endpoint.url,
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'local-admin', secretAccessKey: 'local' },
    maxAttempts,
  });
}

/** A unique organization id per test, so tests never share secrets. */
export function uniqueOrg(): string {
  return `org-${randomUUID().slice(0, 8)}`;
}

export interface TokenRequest {
  form: URLSearchParams;
  authorization: string | undefined;
  contentType: string | undefined;
}

export interface TokenEndpoint {
  url: string;
  requests: TokenRequest[];
  /** Decides the answer for each request; default issues a new access token. */
  respond: (request: TokenRequest, res: ServerResponse) => void;
  stop(): Promise<void>;
}

/** A real OAuth token endpoint on an ephemeral port. */
export async function startTokenEndpoint(): Promise<TokenEndpoint> {
  let issued = 0;
  const endpoint: TokenEndpoint = {
    url: '',
    requests: [],
    respond: (_request, res) => {
      issued += 1;
      json(res, 200, { access_token: `at-new-${issued}`, token_type: 'Bearer', expires_in: 3600 });
    },
    stop: async () => {},
  };
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const request = {
        form: new URLSearchParams(body),
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
      };
      endpoint.requests.push(request);
      // A little latency so concurrent callers really overlap the refresh.
      setTimeout(() => endpoint.respond(request, res), 30);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`;
  endpoint.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return endpoint;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
