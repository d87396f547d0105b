/** Access policy: also the JSON format of a `--policy` file. */
export interface AccessPolicy {
  /** Access key ids with full access (seeding, rotation, tests). */
  admins?: string[];
  /** Access key id -> what that caller may read. */
  principals: Record<string, PrincipalGrant>;
}

export interface PrincipalGrant {
  /** Service name, used as the IAM user name in AccessDenied messages. */
  service?: string;
  /** Secret names or ARNs; a trailing `/*` grants everything under that prefix, `*` grants all. */
  secrets: string[];
  /** Parameter names; a trailing `/*` grants that path and everything below it, `*` grants all. */
  parameters: string[];
  /**
   * Secret name prefixes ending in `/*` (runtime-managed secrets): names under them may be
   * created, written, read, described, tagged and deleted by this principal (MANAGE_ACTIONS), and
   * the principal may call ListSecrets, as an IAM policy with a runtime prefix allows.
   */
  manage?: string[];
}

export type FaultKind = 'throttle' | 'error500' | 'latency' | 'drop';

/** A fault rule: also the control API body and the `--fault` CLI flag. */
export interface FaultRule {
  kind: FaultKind;
  /** e.g. 'BatchGetSecretValue' or 'GetParameters'; omitted = every operation. */
  operation?: string;
  /** Apply to the next N matching requests, then the rule expires. */
  count?: number;
  /** 0..1, default 1. */
  probability?: number;
  /** For 'latency'. */
  latencyMs?: number;
}

export interface EndpointStats {
  calls: Record<string, number>;
  byAccessKey: Record<string, Record<string, number>>;
  total: number;
}

export interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
}

export type RotationHandler = (event: RotationEvent) => Promise<void>;

export interface StartOptions {
  /** Default 4566; 0 = ephemeral. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** JSON persistence file; omitted = in-memory only. */
  dataFile?: string;
  /** Policy object or path to a JSON policy file; omitted = everyone may do everything. */
  policy?: AccessPolicy | string;
  /** Initial fault rules. */
  faults?: FaultRule[];
  /** Default 'us-east-1'; the SigV4 credential scope's region wins when present. */
  region?: string;
  /** Default '000000000000'. */
  accountId?: string;
  quiet?: boolean;
  /** Stands in for the rotation Lambda: called for the four rotation steps in order. */
  rotationHandler?: RotationHandler;
}

export interface LocalEndpoint {
  url: string;
  port: number;
  /** Closes the server and its open sockets, flushes persistence. */
  stop(): Promise<void>;
  stats(): EndpointStats;
  resetStats(): void;
  /** Replaces all rules. */
  setFaults(rules: FaultRule[]): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
}
