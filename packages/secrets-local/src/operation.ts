import type { AccessControl, Grant } from './access-policy';
import type { Store } from './store/store';
import type { RotationHandler } from './types';

/** Everything one AWS operation needs: the state, who is calling, and where "here" is. */
export interface OperationContext {
  store: Store;
  access: AccessControl;
  grant: Grant;
  /** Region for new ARNs: the caller's SigV4 region when present, else the configured one. */
  region: string;
  accountId: string;
  rotationHandler?: RotationHandler;
  now: () => number;
}

/** One AWS operation: a parsed JSON request body in, a JSON response body out (or an AwsServiceError). */
export type Operation = (ctx: OperationContext, body: unknown) => Promise<object> | object;

/** A service's operations by name (the part of X-Amz-Target after the dot). */
export type OperationTable = Record<string, Operation>;

/** Epoch milliseconds -> the epoch seconds AWS JSON protocols put on the wire. */
export const wireDate = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : ms / 1000;

/** Writes are for admins (or everyone, without a policy). */
export function requireWriteAccess(ctx: OperationContext, action: string, resource?: string): void {
  if (ctx.grant.kind === 'read') throw ctx.access.denied(ctx.grant, action, resource);
}
