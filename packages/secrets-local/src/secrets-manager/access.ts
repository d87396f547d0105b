import { grantsSecret } from '../access-policy';
import type { OperationContext } from '../operation';
import type { SecretRecord } from '../store/state';
import { findSecret } from './model';

/**
 * Checks a read of one secret. As in IAM, authorization comes before existence: a caller that
 * may not read `secretId` is denied whether or not the secret exists.
 */
export function authorizeSecretRead(
  ctx: OperationContext,
  action: string,
  secretId: string,
): SecretRecord | undefined {
  const secret = findSecret(ctx.store.data, secretId);
  if (ctx.grant.kind === 'everything') return secret;
  const target =
    secret ?? (secretId.startsWith('arn:') ? { name: secretId, arn: secretId } : { name: secretId });
  if (!grantsSecret(ctx.grant.grant, target)) {
    throw ctx.access.denied(ctx.grant, `secretsmanager:${action}`, secret?.arn ?? secretId);
  }
  return secret;
}
