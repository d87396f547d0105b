import { grantsSecretAction } from '../access-policy';
import type { OperationContext } from '../operation';
import type { SecretRecord } from '../store/state';
import { findSecret } from './model';

/**
 * Checks one action on one secret (a read, or a write a `manage` prefix allows). As in IAM,
 * authorization comes before existence: a caller that may not act on `secretId` is denied
 * whether or not the secret exists.
 */
export function authorizeSecretAction(
  ctx: OperationContext,
  action: string,
  secretId: string,
): SecretRecord | undefined {
  const secret = findSecret(ctx.store.data, secretId);
  if (ctx.grant.kind === 'everything') return secret;
  const target =
    secret ?? (secretId.startsWith('arn:') ? { name: secretId, arn: secretId } : { name: secretId });
  if (!grantsSecretAction(ctx.grant.grant, `secretsmanager:${action}`, target)) {
    throw ctx.access.denied(ctx.grant, `secretsmanager:${action}`, secret?.arn ?? secretId);
  }
  return secret;
}

/** Checks a read of one secret. */
export function authorizeSecretRead(
  ctx: OperationContext,
  action: string,
  secretId: string,
): SecretRecord | undefined {
  return authorizeSecretAction(ctx, action, secretId);
}
