import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalEndpoint } from '@estate/secrets-local';
import { freePort } from '@estate/testing';
import { type DatabaseSettings, ensureDatabase } from './database';
import { exitOf, spawnFromSource, stopChild } from './node-process';
import type { OutputSink } from './output';
import {
  adminClient,
  awsEnvironment,
  readSecret,
  type SecretsEndpoint,
  setSecretFields,
  startSecretsEndpoint,
} from './secrets-endpoint';
import { type StandIns, startStandIns } from './stand-ins';

/** 0 = any free port. */
export interface StackPorts {
  secrets: number;
  openai: number;
  kreb: number;
  molit: number;
  backend: number;
  aiWorker: number;
}

export interface StackOptions {
  /** The workspace root. */
  root: string;
  ports: StackPorts;
  /** Where the access policy derived from the manifests is written. */
  policyFile: string;
  /** Persist the endpoint (dev keeps its generated secrets across runs); in memory when absent. */
  secretsDataFile?: string;
  /** Fields set on the seeded dev secrets before the services start (tests: own database, vhost, Redis). */
  secretOverrides?: Partial<Record<'database' | 'redis' | 'rabbitmq', Record<string, unknown>>>;
  /** Extra environment of both services (e.g. the ai-worker's queue prefix). */
  serviceEnvironment?: NodeJS.ProcessEnv;
  output: OutputSink;
  /** Progress lines (`npm run dev` prints them). */
  onStep?: (message: string) => void;
  /** Called once the endpoint is seeded, before any service starts (tests: fault rules). */
  onSecretsReady?: (endpoint: LocalEndpoint) => void | Promise<void>;
  /** How long backend and ai-worker may take to answer /readyz 200. Default 90 s. */
  readyTimeoutMs?: number;
  /** Aborting it while starting stops what has started and rejects (dev's Ctrl-C during start-up). */
  signal?: AbortSignal;
}

export interface RunningService {
  name: 'backend' | 'ai-worker';
  url: string;
  child: ChildProcess;
}

export interface Stack {
  secretsUrl: string;
  /** The in-process endpoint: stats and fault rules. */
  secretsEndpoint: LocalEndpoint;
  backendUrl: string;
  aiWorkerUrl: string;
  standIns: StandIns['baseURLs'];
  database: DatabaseSettings;
  services: RunningService[];
  /** `estate-etl run <args>` as the etl service (its own access key id); resolves with the exit code. */
  runEtl(args: string[]): Promise<number>;
  /** Stops every process and server the stack started, newest first. */
  stop(): Promise<void>;
}

/**
 * The platform as `npm run dev` runs it: the local Secrets Manager/SSM endpoint (policy from the
 * manifests, rotator in process, dev secrets seeded), the outside APIs' stand-ins, the database,
 * then backend and ai-worker from source, each with its own access key id, until /readyz answers.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const step = options.onStep ?? (() => {});
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const close of stops.splice(0).reverse()) await close().catch(() => {});
  };
  try {
    options.signal?.throwIfAborted();
    const standIns = await startStandIns(options.ports);
    stops.push(() => standIns.stop());
    step(
      `stand-ins: OpenAI ${standIns.baseURLs.openai}, R-ONE ${standIns.baseURLs.kreb}, MOLIT ${standIns.baseURLs.molit}`,
    );

    const secrets: SecretsEndpoint = await startSecretsEndpoint({
      root: options.root,
      port: options.ports.secrets,
      policyFile: options.policyFile,
      output: options.output,
      ...(options.secretsDataFile ? { dataFile: options.secretsDataFile } : {}),
    });
    stops.push(() => secrets.stop());
    step(`secrets endpoint: ${secrets.url}`);

    const admin = adminClient(secrets.url);
    let database: DatabaseSettings;
    try {
      // The stand-ins' secrets point where they run (a test's free ports, or a catalog that moved).
      await setSecretFields(admin, 'estate/dev/openai', { baseURL: standIns.baseURLs.openai });
      await setSecretFields(admin, 'estate/dev/kreb', { baseURL: standIns.baseURLs.kreb });
      await setSecretFields(admin, 'estate/dev/molit', { baseURL: standIns.baseURLs.molit });
      for (const [group, fields] of Object.entries(options.secretOverrides ?? {})) {
        await setSecretFields(admin, `estate/dev/${group}`, fields);
      }
      database = await readSecret<DatabaseSettings>(admin, 'estate/dev/database');
    } finally {
      admin.destroy();
    }
    if (await ensureDatabase(database)) step(`database: created "${database.dbname}"`);
    await options.onSecretsReady?.(secrets.endpoint);

    const environment = (service: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
      ...process.env,
      NODE_ENV: 'development',
      ESTATE_ENV: 'dev',
      ...awsEnvironment(secrets.url, `local-${service}`),
      ...options.serviceEnvironment,
      ...extra,
    });
    const backendPort = options.ports.backend || (await freePort());
    const aiWorkerPort = options.ports.aiWorker || (await freePort());
    const services: RunningService[] = [
      {
        name: 'backend',
        url: `http://127.0.0.1:${backendPort}`,
        child: spawnFromSource({
          root: options.root,
          service: 'backend',
          entry: 'apps/backend/src/main.ts',
          env: environment('backend', { PORT: String(backendPort) }),
          output: options.output,
        }),
      },
      {
        name: 'ai-worker',
        url: `http://127.0.0.1:${aiWorkerPort}`,
        child: spawnFromSource({
          root: options.root,
          service: 'ai-worker',
          entry: 'apps/ai-worker/src/main.ts',
          env: environment('ai-worker', { HEALTH_PORT: String(aiWorkerPort) }),
          output: options.output,
        }),
      },
    ];
    for (const service of services) stops.push(() => stopChild(service.child));
    await Promise.all(
      services.map((service) => waitForReady(service, options.readyTimeoutMs ?? 90_000, options.signal)),
    );
    step(`ready: backend ${services[0]!.url}, ai-worker ${services[1]!.url}`);

    return {
      secretsUrl: secrets.url,
      secretsEndpoint: secrets.endpoint,
      backendUrl: services[0]!.url,
      aiWorkerUrl: services[1]!.url,
      standIns: standIns.baseURLs,
      database,
      services,
      runEtl: async (args) => {
        const etl = spawnFromSource({
          root: options.root,
          service: 'etl',
          entry: 'apps/etl/src/main.ts',
          args: ['run', ...args],
          env: environment('etl', {}),
          output: options.output,
        });
        // Stopping the stack mid-run stops the job too (it resumes from its watermark next time).
        const stopEtl = () => stopChild(etl);
        stops.push(stopEtl);
        try {
          return await exitOf(etl);
        } finally {
          const index = stops.indexOf(stopEtl);
          if (index >= 0) stops.splice(index, 1);
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls /readyz until 200; fails at once when the process exits, or at the deadline. */
async function waitForReady(service: RunningService, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | undefined;
  void exitOf(service.child).then(
    (code) => {
      exited = code;
    },
    () => {
      exited = 1;
    },
  );
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exited !== undefined)
      throw new Error(`${service.name} exited with code ${exited} before it was ready`);
    signal?.throwIfAborted();
    try {
      const response = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(3_000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs / 1000} s (last /readyz: ${last})`);
}
