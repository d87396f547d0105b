import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { EVENTS_EXCHANGE, MARKET_UPDATED, type MarketUpdated } from '@estate/contracts';
import { migrate } from '@estate/db';
import { createSecretsLogger, loadSecrets } from '@estate/secrets';
import { localAccessPolicy } from '@estate/secrets/policy';
import { suitePool, type TestEnvironment, useTestEnvironment } from '@estate/testing';
import amqp from 'amqplib';
import type { Pool } from 'pg';
import { type StandIn, startStandIn } from '../../dev/stand-in/server';
import { type EtlSecrets, runEtl } from '../../src/app';
import { parseRunArgs } from '../../src/cli/args';
import type { RunReport } from '../../src/run/run-job';
import { manifest } from '../../src/secrets';

export const ENV = 'dev';
/** The fixtures' months; "now" is set just after them, so all three are inside the lookback window. */
export const NOW = new Date('2024-03-15T03:00:00Z');
const random = () => randomBytes(24).toString('base64url');

export interface Harness {
  env: TestEnvironment;
  standIn: StandIn;
  secrets: EtlSecrets;
  /** The keys seeded into kreb and molit, to prove no log line carries them. */
  keys: { kreb: string; molit: string };
  /** Every log line (after the leak guard). */
  logs: string[];
  db: Pool;
  run(
    argv: string[],
    options?: { publishTimeoutMs?: number },
  ): Promise<{ exitCode: number; report?: RunReport; out: string }>;
  /** market.updated events published since the last call. */
  takeEvents(): Promise<MarketUpdated[]>;
  /** Environment for `node src/main.ts` as a child: the endpoint as local-etl, nothing else. */
  childEnv(): NodeJS.ProcessEnv;
  putSecret(group: string, value: unknown): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * The job as main.ts wires it, over the suite's own database and vhost, the stand-in over HTTP,
 * and a local Secrets Manager endpoint enforcing the manifest's access policy (read as local-etl).
 */
export async function startHarness(): Promise<Harness> {
  const env = await useTestEnvironment({ secrets: { policy: localAccessPolicy([manifest], ENV) } });
  const standIn = await startStandIn();
  const admin = new SecretsManagerClient(env.secrets.clientConfig());
  const keys = { kreb: random(), molit: random() };
  const values: Record<string, unknown> = {
    database: {
      host: env.postgres.host,
      port: env.postgres.port,
      dbname: env.postgres.database,
      username: env.postgres.user,
      password: env.postgres.password ?? random(),
    },
    rabbitmq: { url: env.rabbitmq.url },
    kreb: { apiKey: keys.kreb, baseURL: standIn.roneBaseURL },
    molit: { serviceKey: keys.molit, baseURL: standIn.molitBaseURL },
  };
  for (const [group, value] of Object.entries(values)) {
    await admin.send(
      new CreateSecretCommand({
        Name: `estate/${ENV}/${group}`,
        SecretString: JSON.stringify(value),
        ClientRequestToken: randomUUID(),
      }),
    );
  }
  const secrets = await loadSecrets(manifest, {
    env: ENV,
    aws: env.secrets.clientConfig('local-etl'),
    refreshIntervalMs: 0,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const logger = createSecretsLogger(secrets, { level: 'info' }, destination);
  const db = suitePool(env.postgres.connectionString, 2);
  // The job migrates too (under its lock); done here as well, so any test can run on its own (-t).
  await migrate(db);

  const connection = await amqp.connect(env.rabbitmq.url);
  const channel = await connection.createChannel();
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
  const queue = 'etl-test-events';
  await channel.assertQueue(queue, { durable: false });
  await channel.bindQueue(queue, EVENTS_EXCHANGE, MARKET_UPDATED);

  return {
    env,
    standIn,
    secrets,
    keys,
    logs,
    db,
    run: async (argv, options = {}) => {
      let out = '';
      const result = await runEtl(
        {
          secrets,
          logger,
          out: { write: (text: string) => (out += text) },
          now: NOW,
          http: { paceMs: 0, attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2_000 },
          publishTimeoutMs: options.publishTimeoutMs,
        },
        parseRunArgs(argv),
      );
      return { ...result, out };
    },
    takeEvents: async () => {
      const events: MarketUpdated[] = [];
      for (;;) {
        const message = await channel.get(queue, { noAck: true });
        if (!message) return events;
        events.push(JSON.parse(message.content.toString()) as MarketUpdated);
      }
    },
    childEnv: () => {
      const config = env.secrets.clientConfig('local-etl');
      return {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ESTATE_ENV: ENV,
        AWS_ENDPOINT_URL: config.endpoint,
        AWS_REGION: config.region,
        AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
        NODE_OPTIONS: process.env.NODE_OPTIONS,
      };
    },
    putSecret: async (group, value) => {
      await admin.send(
        new PutSecretValueCommand({
          SecretId: `estate/${ENV}/${group}`,
          SecretString: JSON.stringify(value),
        }),
      );
    },
    cleanup: async () => {
      await connection.close().catch(() => {});
      await db.end();
      secrets.close();
      admin.destroy();
      await standIn.close();
      await env.cleanup();
    },
  };
}

/** Row counts and an order-independent checksum of both tables, timestamps and data_version excluded. */
export async function snapshot(db: Pool): Promise<Record<string, string>> {
  const { rows } = await db.query<{ name: string; rows: string; checksum: string }>(`
    SELECT 'deals' AS name, count(*)::text AS rows,
      coalesce(md5(string_agg(md5(row(deal_key, ordinal, lawd_cd, umd_cd, umd_nm, jibun, apt_seq, apt_nm, apt_dong,
        build_year, deal_date, deal_amount, exclu_use_ar, floor, dealing_gbn, cancelled, cancel_date, rgst_date)::text), ''
        ORDER BY deal_key, ordinal)), '') AS checksum
    FROM apartment_deals
    UNION ALL
    SELECT 'rone', count(*)::text, coalesce(md5(string_agg(md5(row(statbl_id, dtacycle_cd, wrttime_idtfr_id, grp_id,
      cls_id, itm_id, cls_nm, itm_nm, dta_val, ui_nm, wrttime_desc)::text), '' ORDER BY statbl_id, wrttime_idtfr_id,
      cls_id, itm_id)), '')
    FROM rone_index_values`);
  return Object.fromEntries(rows.map((row) => [row.name, `${row.rows}:${row.checksum}`]));
}

export async function resetData(db: Pool): Promise<void> {
  await db.query('TRUNCATE apartment_deals, rone_index_values, etl_watermarks, etl_runs');
}
