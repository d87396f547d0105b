import { createHmac } from 'node:crypto';
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { MARKET_SUMMARY_QUEUE, QUEUE_PREFIX } from '@estate/contracts';
import amqp from 'amqplib';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import type { Stack } from '../../src/stack';
import { adminClient, readSecret } from '../../src/stack/secrets-endpoint';
import { capture } from './isolated-stack';

// Shared by the four bad-input files (issue 9 case 5): what the stack holds before and after a
// malformed input (every table's rows and checksum, the summary queue, the RabbitMQ queues), the
// error shape the backend answers with, and HS256 tokens made by hand.

/** The backend's consumer queue of `market.updated` and its dead-letter queue. */
export const CONSUMER_QUEUE = 'backend.market-updated';
export const CONSUMER_DLQ = 'backend.market-updated.dlq';

export type TableState = Record<string, { rows: number; checksum: string }>;

/** A secret of the stack's endpoint, read as the admin (the test keeps it in memory, never prints it). */
export async function stackSecret<T>(stack: Stack, group: string): Promise<T> {
  const client = adminClient(stack.secretsUrl);
  try {
    return await readSecret<T>(client, `estate/dev/${group}`);
  } finally {
    client.destroy();
  }
}

/**
 * Every table of the stack's database (public schema), with its row count and an md5 over its
 * rows in a stable order: equal states mean nothing was written, not even a timestamp.
 */
export async function tableState(stack: Stack): Promise<TableState> {
  const { host, port, dbname, username, password } = stack.database;
  const client = new Client({ host, port, database: dbname, user: username, password });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    const state: TableState = {};
    for (const { name } of tables) {
      const table = client.escapeIdentifier(name);
      const { rows } = await client.query<{ rows: string; checksum: string }>(
        `SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS checksum FROM ${table} t`,
      );
      state[name] = { rows: Number(rows[0]!.rows), checksum: rows[0]!.checksum };
    }
    return state;
  } finally {
    await client.end();
  }
}

export type JobCounts = Record<string, number>;

/** The summary queue's job counts by state, through BullMQ with the services' own queue name and prefix. */
export async function summaryQueueCounts(stack: Stack): Promise<JobCounts> {
  const queue = await summaryQueue(stack);
  try {
    return await queue.getJobCounts();
  } finally {
    await queue.close();
  }
}

/** The `market-summary` queue as the services open it (caller closes it). */
export async function summaryQueue(stack: Stack): Promise<Queue> {
  const redis = await stackSecret<{ host: string; port: number; password?: string }>(stack, 'redis');
  return new Queue(MARKET_SUMMARY_QUEUE, {
    connection: {
      host: redis.host,
      port: redis.port,
      ...(redis.password ? { password: redis.password } : {}),
      maxRetriesPerRequest: null,
    },
    prefix: QUEUE_PREFIX,
  });
}

/** A connection to the stack's RabbitMQ vhost (the URL from the `rabbitmq` secret). */
export async function brokerConnection(stack: Stack): Promise<amqp.ChannelModel> {
  const { url } = await stackSecret<{ url: string }>(stack, 'rabbitmq');
  return amqp.connect(url);
}

/** Ready messages in each queue (checkQueue; a missing queue fails). */
export async function queueDepths(
  connection: amqp.ChannelModel,
  queues: readonly string[],
): Promise<Record<string, number>> {
  const channel = await connection.createChannel();
  try {
    const depths: Record<string, number> = {};
    for (const queue of queues) depths[queue] = (await channel.checkQueue(queue)).messageCount;
    return depths;
  } finally {
    await channel.close();
  }
}

/** A compact HS256 (or any `alg`) JWT; `key` undefined leaves the signature empty (alg none). */
export function signToken(header: object, payload: object, key: string | undefined): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(payload)}`;
  if (key === undefined) return `${unsigned}.`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

/** A malformed request: raw body and headers (the body is kept for the leak scan). */
export function rawRequest(
  url: string,
  method: string,
  options: { headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<RawResponse> {
  return capture(url, { method, ...options });
}

/**
 * What is wrong with an error answer, if anything: a 4xx, JSON of the backend's shape
 * `{ error: { code, field, message } }` with the expected code and field, and no stack trace.
 */
export function errorAnswerProblems(
  answer: RawResponse,
  expected: { status: number; code: string; field?: string | null },
): string[] {
  const problems: string[] = [];
  if (answer.status !== expected.status)
    problems.push(`status ${answer.status}, expected ${expected.status}`);
  if (answer.status >= 500) problems.push('a 5xx');
  if (!answer.contentType.startsWith('application/json')) problems.push(`content-type ${answer.contentType}`);
  if (/\n\s+at |node_modules|\.ts:\d+/.test(answer.text)) problems.push('a stack trace in the body');
  let body: { error?: { code?: unknown; field?: unknown; message?: unknown } } | undefined;
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    problems.push('a body that is not JSON');
    return problems;
  }
  const error = body?.error;
  const keys = error && typeof error === 'object' ? Object.keys(error).sort().join(',') : '';
  if (keys !== 'code,field,message') problems.push(`error keys ${keys || '(none)'}`);
  if (error?.code !== expected.code) problems.push(`code ${String(error?.code)}, expected ${expected.code}`);
  if (expected.field !== undefined && error?.field !== expected.field)
    problems.push(`field ${String(error?.field)}, expected ${String(expected.field)}`);
  if (typeof error?.message !== 'string' || error.message.length === 0) problems.push('no message');
  return problems;
}

/** The lines one service printed from index `from` on (`service | line`, the prefix removed). */
export function linesOf(output: readonly string[], service: string, from = 0): string[] {
  const prefix = `${service} | `;
  return output
    .slice(from)
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

/** Every secret of the endpoint with its version ids (a write through the API would add one). */
export async function secretVersions(stack: Stack): Promise<Record<string, string[]>> {
  const client = adminClient(stack.secretsUrl);
  try {
    const versions: Record<string, string[]> = {};
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListSecretsCommand({ MaxResults: 100, NextToken: nextToken }));
      for (const secret of page.SecretList ?? []) {
        versions[secret.Name ?? ''] = Object.keys(secret.SecretVersionsToStages ?? {}).sort();
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return versions;
  } finally {
    client.destroy();
  }
}
