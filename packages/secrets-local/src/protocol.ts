import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from './access-policy';
import { AwsServiceError } from './errors';

export type ServiceName = 'secretsmanager' | 'ssm';

export interface Target {
  service: ServiceName;
  operation: string;
  /** The X-Amz-Target header as sent. */
  raw: string;
}

const PREFIXES: Record<string, ServiceName> = { secretsmanager: 'secretsmanager', AmazonSSM: 'ssm' };

/** `secretsmanager.GetSecretValue` / `AmazonSSM.GetParameter`; anything else is unknown. */
export function parseTarget(header: string | undefined): Target | undefined {
  if (!header) return undefined;
  const dot = header.indexOf('.');
  const service = PREFIXES[header.slice(0, dot)];
  if (dot < 0 || !service) return undefined;
  return { service, operation: header.slice(dot + 1), raw: header };
}

/** Access key id and region from `Authorization: AWS4-HMAC-SHA256 Credential=<akid>/<date>/<region>/<service>/aws4_request, ...`. */
export function parseCaller(authorization: string | undefined): Caller {
  const match = /Credential=([^/,\s]+)\/[^/]*\/([^/]*)\//.exec(authorization ?? '');
  if (!match) return {};
  return { accessKeyId: match[1], region: match[2] || undefined };
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the request body; over 1 MiB is refused after draining. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) {
    throw new AwsServiceError('ValidationException', `Request body exceeds ${MAX_BODY_BYTES} bytes.`);
  }
  return Buffer.concat(chunks);
}

/** An empty body is an empty request structure, as the AWS JSON services treat it. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsServiceError('SerializationException', 'Unable to parse the request body as JSON.');
  }
}

const JSON_11 = 'application/x-amz-json-1.1';

export function sendResult(response: ServerResponse, result: object): void {
  send(response, 200, JSON.stringify(result), {});
}

/**
 * `{"__type": "<Name>", "Message": "..."}` plus `x-amzn-ErrorType`. SSM spells the field
 * `message`; the AWS SDKs read either.
 */
export function sendError(
  response: ServerResponse,
  service: ServiceName | undefined,
  error: AwsServiceError,
): void {
  const messageKey = service === 'ssm' ? 'message' : 'Message';
  send(response, error.statusCode, JSON.stringify({ __type: error.code, [messageKey]: error.message }), {
    'x-amzn-ErrorType': error.code,
  });
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  response.writeHead(status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(body),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  response.end(body);
}
