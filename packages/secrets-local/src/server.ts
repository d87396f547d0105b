import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessControl, loadAccessPolicy } from './access-policy';
import { controlRoute, handleControl } from './control/control-api';
import { AwsServiceError } from './errors';
import { FaultInjector } from './faults';
import type { OperationContext, OperationTable } from './operation';
import {
  parseCaller,
  parseJsonBody,
  parseTarget,
  readBody,
  type ServiceName,
  sendError,
  sendResult,
} from './protocol';
import { secretsManagerOperations } from './secrets-manager';
import { purgeExpiredSecrets } from './secrets-manager/model';
import { ssmOperations } from './ssm/operations';
import { StatsRecorder } from './stats';
import { Store } from './store/store';
import type { LocalEndpoint, StartOptions } from './types';

const OPERATIONS: Record<ServiceName, OperationTable> = {
  secretsmanager: secretsManagerOperations,
  ssm: ssmOperations,
};

interface EndpointDeps {
  store: Store;
  access: AccessControl;
  faults: FaultInjector;
  stats: StatsRecorder;
  region: string;
  accountId: string;
  options: StartOptions;
}

/**
 * Starts the endpoint. Rejects with a DataFileError (bad data file), a PolicyError (bad policy),
 * a FaultRuleError (bad initial faults) or the listen error (e.g. EADDRINUSE).
 */
export async function start(options: StartOptions = {}): Promise<LocalEndpoint> {
  const accountId = options.accountId ?? '000000000000';
  const policy = options.policy === undefined ? undefined : loadAccessPolicy(options.policy);
  const deps: EndpointDeps = {
    store: await Store.open(options.dataFile),
    access: new AccessControl(policy, accountId),
    faults: new FaultInjector(options.faults ?? []),
    stats: new StatsRecorder(),
    region: options.region ?? 'us-east-1',
    accountId,
    options,
  };
  const server = createHttpServer((request, response) => {
    handleRequest(request, response, deps).catch((error: unknown) => {
      if (!options.quiet) console.error('estate-secrets-local: unexpected error', error);
      if (!response.headersSent) {
        sendError(response, undefined, new AwsServiceError('InternalServiceError', 'Internal error.', 500));
      }
    });
  });
  const port = await listen(server, options.port ?? 4566, options.host ?? '127.0.0.1');
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await deps.store.flush();
      })();
      return stopping;
    },
    stats: () => deps.stats.snapshot(),
    resetStats: () => deps.stats.reset(),
    setFaults: (rules) => deps.faults.set(rules),
    addFault: (rule) => deps.faults.add(rule),
    clearFaults: () => deps.faults.clear(),
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  deps: EndpointDeps,
): Promise<void> {
  const route = controlRoute(request.url);
  if (route) {
    handleControl(route, request.method ?? 'GET', await readBody(request), response, deps);
    return;
  }

  const header = request.headers['x-amz-target'];
  const target = parseTarget(Array.isArray(header) ? header[0] : header);
  const caller = parseCaller(request.headers.authorization);
  const operation = target?.operation ?? 'UnknownOperation';
  deps.stats.record(operation, caller.accessKeyId);

  const plan = deps.faults.plan(operation, target?.raw ?? '');
  if (plan.latencyMs > 0) await sleep(plan.latencyMs);
  if (plan.outcome === 'drop') {
    request.socket.destroy();
    return;
  }
  if (plan.outcome === 'throttle') {
    sendError(response, target?.service, new AwsServiceError('ThrottlingException', 'Rate exceeded'));
    return;
  }
  if (plan.outcome === 'error500') {
    const name = target?.service === 'ssm' ? 'InternalServerError' : 'InternalServiceError';
    sendError(
      response,
      target?.service,
      new AwsServiceError(name, 'An error occurred on the server side.', 500),
    );
    return;
  }

  try {
    const body = await readBody(request);
    const run = target ? OPERATIONS[target.service][target.operation] : undefined;
    if (!target || !run)
      throw new AwsServiceError('UnknownOperationException', 'The requested operation is not recognized.');
    const ctx: OperationContext = {
      store: deps.store,
      access: deps.access,
      grant: deps.access.identify(caller),
      region: caller.region ?? deps.region,
      accountId: deps.accountId,
      rotationHandler: deps.options.rotationHandler,
      now: Date.now,
    };
    const input = parseJsonBody(body);
    purgeExpiredSecrets(deps.store.data, ctx.now());
    sendResult(response, await run(ctx, input));
  } catch (error) {
    if (error instanceof AwsServiceError) {
      sendError(response, target?.service, error);
      return;
    }
    if (!deps.options.quiet) console.error(`estate-secrets-local: ${operation} failed`, error);
    const name = target?.service === 'ssm' ? 'InternalServerError' : 'InternalServiceError';
    sendError(
      response,
      target?.service,
      new AwsServiceError(name, 'An error occurred on the server side.', 500),
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
