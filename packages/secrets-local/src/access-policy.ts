import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AwsServiceError, PolicyError } from './errors';
import type { AccessPolicy, PrincipalGrant } from './types';

const PolicySchema = z.object({
  admins: z.array(z.string().min(1)).optional(),
  principals: z.record(
    z.string().min(1),
    z.object({
      service: z.string().min(1).optional(),
      secrets: z.array(z.string().min(1)),
      parameters: z.array(z.string().min(1)),
      manage: z
        .array(
          z
            .string()
            .regex(/^[^*]+\/\*$/, 'a manage entry is a name prefix ending in "/*", e.g. "estate/dev/orgs/*"'),
        )
        .optional(),
    }),
  ),
});

/** Accepts a policy object or the path of a JSON policy file; validates either. */
export function loadAccessPolicy(policy: AccessPolicy | string): AccessPolicy {
  const source = typeof policy === 'string' ? `file ${policy}` : 'object';
  let raw: unknown = policy;
  if (typeof policy === 'string') {
    try {
      raw = JSON.parse(readFileSync(policy, 'utf8'));
    } catch (error) {
      throw new PolicyError(source, `cannot be read as JSON (${(error as Error).message})`, { cause: error });
    }
  }
  const parsed = PolicySchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new PolicyError(source, `${first?.path.join('.') || 'policy'}: ${first?.message ?? 'invalid'}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/**
 * What a `manage` prefix allows on the names under it: exactly what iamPolicyFor grants for a
 * runtime prefix (statement ManageRuntimeSecrets). UpdateSecret, RestoreSecret, UntagResource,
 * UpdateSecretVersionStage and RotateSecret stay admin-only, as they are in IAM.
 */
export const MANAGE_ACTIONS: ReadonlySet<string> = new Set([
  'secretsmanager:CreateSecret',
  'secretsmanager:PutSecretValue',
  'secretsmanager:GetSecretValue',
  'secretsmanager:DescribeSecret',
  'secretsmanager:DeleteSecret',
  'secretsmanager:TagResource',
]);

/** Who is calling, from the SigV4 Authorization header (the signature is not verified). */
export interface Caller {
  accessKeyId?: string;
  region?: string;
}

/** What the access policy makes of one caller. */
export type Grant = { kind: 'everything' } | { kind: 'read'; userName: string; grant: PrincipalGrant };

/**
 * Decides what a caller may do. Without a policy everyone may do everything; with one, admins
 * may do everything, principals may read what they list and manage what is under their `manage`
 * prefixes, everyone else is an unknown key.
 */
export class AccessControl {
  constructor(
    private readonly policy: AccessPolicy | undefined,
    private readonly accountId: string,
  ) {}

  /** Throws the error AWS gives for a missing or unknown access key. */
  identify(caller: Caller): Grant {
    if (!this.policy) return { kind: 'everything' };
    const akid = caller.accessKeyId;
    if (akid === undefined) {
      throw new AwsServiceError(
        'MissingAuthenticationTokenException',
        'Request is missing Authentication Token',
      );
    }
    if (this.policy.admins?.includes(akid)) return { kind: 'everything' };
    const grant = this.policy.principals[akid];
    if (!grant) {
      throw new AwsServiceError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    return { kind: 'read', userName: grant.service ?? akid, grant };
  }

  /**
   * AWS's identity-policy denial: `User: arn:aws:iam::<account>:user/<name> is not authorized to
   * perform: <action> [on resource: <arn>] because no identity-based policy allows the <action> action`.
   */
  denied(grant: Grant, action: string, resource?: string): AwsServiceError {
    const user = grant.kind === 'read' ? grant.userName : 'admin';
    const on = resource === undefined ? '' : ` on resource: ${resource}`;
    return new AwsServiceError(
      'AccessDeniedException',
      `User: arn:aws:iam::${this.accountId}:user/${user} is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action`,
    );
  }
}

/** Does a principal's `secrets` list cover this secret (by name, full ARN or partial ARN)? */
export function grantsSecret(grant: PrincipalGrant, secret: { name: string; arn?: string }): boolean {
  const partialArn = secret.arn?.replace(/-[A-Za-z0-9]{6}$/, '');
  return grant.secrets.some(
    (entry) =>
      entry === '*' ||
      entry === secret.name ||
      (secret.arn !== undefined && (entry === secret.arn || entry === partialArn)) ||
      (entry.endsWith('/*') && secret.name.startsWith(entry.slice(0, -1))),
  );
}

/** Is this secret name under one of the principal's `manage` prefixes? (By name only: an ARN is resolved to its secret's name first.) */
export function managesSecret(grant: PrincipalGrant, name: string): boolean {
  return (grant.manage ?? []).some((entry) => {
    const prefix = entry.slice(0, -1);
    return name.startsWith(prefix) && name.length > prefix.length;
  });
}

/**
 * May this principal perform this Secrets Manager action on this secret? Reads are granted by
 * `secrets` or `manage`; the write actions of MANAGE_ACTIONS by `manage` only.
 */
export function grantsSecretAction(
  grant: PrincipalGrant,
  action: string,
  secret: { name: string; arn?: string },
): boolean {
  if (MANAGE_ACTIONS.has(action) && managesSecret(grant, secret.name)) return true;
  return READ_ACTIONS.has(action) && grantsSecret(grant, secret);
}

/** ListSecrets has no resource in IAM: a principal with any `manage` prefix holds it (on "*"). */
export function grantsListSecrets(grant: PrincipalGrant): boolean {
  return (grant.manage ?? []).length > 0;
}

const READ_ACTIONS: ReadonlySet<string> = new Set([
  'secretsmanager:GetSecretValue',
  'secretsmanager:DescribeSecret',
  'secretsmanager:ListSecretVersionIds',
]);

/** Does a principal's `parameters` list cover this parameter name? */
export function grantsParameter(grant: PrincipalGrant, name: string): boolean {
  return grant.parameters.some(
    (entry) =>
      entry === '*' || entry === name || (entry.endsWith('/*') && name.startsWith(entry.slice(0, -1))),
  );
}

/** Does a principal's `parameters` list cover a whole path (an entry `P/*` with the path at or under P)? */
export function grantsParameterPath(grant: PrincipalGrant, path: string): boolean {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return grant.parameters.some((entry) => {
    if (entry === '*') return true;
    if (!entry.endsWith('/*')) return false;
    const base = entry.slice(0, -2);
    return normalized === base || normalized.startsWith(`${base}/`) || base === '';
  });
}
