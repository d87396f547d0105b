import { randomUUID } from 'node:crypto';
import { MANAGE_ACTIONS, managesSecret } from '../access-policy';
import { AwsServiceError, invalidParameter, invalidRequest } from '../errors';
import { type OperationContext, wireDate } from '../operation';
import { parseRequest } from '../request-validation';
import type { SecretRecord } from '../store/state';
import {
  AWSCURRENT,
  attachStage,
  checkSecretName,
  checkSecretValue,
  findSecret,
  findVersion,
  putVersion,
  removeStage,
  requireLiveSecret,
  requireSecret,
  sameValue,
  secretArn,
  versionHolding,
} from './model';
import {
  CreateSecretRequest,
  DeleteSecretRequest,
  PutSecretValueRequest,
  RestoreSecretRequest,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateSecretRequest,
  UpdateSecretVersionStageRequest,
} from './requests';

const DAY_MS = 86_400_000;

/**
 * Writes are for admins (or everyone, without a policy), and for a principal whose `manage`
 * prefixes cover the secret, for the actions a runtime prefix grants (MANAGE_ACTIONS). An
 * AccessDenied names the secret's ARN when it exists.
 */
function authorizeSecretWrite(ctx: OperationContext, action: string, secretId: string): void {
  if (ctx.grant.kind === 'everything') return;
  const secret = findSecret(ctx.store.data, secretId);
  if (MANAGE_ACTIONS.has(action) && managesSecret(ctx.grant.grant, secret?.name ?? secretId)) return;
  throw ctx.access.denied(ctx.grant, action, secret?.arn ?? secretId);
}

export async function createSecret(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(CreateSecretRequest, body);
  authorizeSecretWrite(ctx, 'secretsmanager:CreateSecret', input.Name);
  checkSecretName(input.Name);
  const hasValue = checkSecretValue(input);
  return ctx.store.mutate((data) => {
    const now = ctx.now();
    const existing = data.secrets[input.Name];
    if (existing) {
      if (existing.deletedDate !== undefined) {
        throw invalidRequest(
          "You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
      }
      // A retried CreateSecret (same token, same value) succeeds without change.
      const retried = input.ClientRequestToken && findVersion(existing, input.ClientRequestToken);
      if (retried && sameValue(retried, input)) {
        return { ARN: existing.arn, Name: existing.name, VersionId: retried.versionId };
      }
      throw new AwsServiceError(
        'ResourceExistsException',
        `The operation failed because the secret ${input.Name} already exists.`,
      );
    }
    const secret: SecretRecord = {
      arn: secretArn(ctx.region, ctx.accountId, input.Name),
      name: input.Name,
      description: input.Description,
      kmsKeyId: input.KmsKeyId,
      tags: input.Tags ?? [],
      createdDate: now,
      lastChangedDate: now,
      rotation: { enabled: false },
      versions: [],
    };
    data.secrets[input.Name] = secret;
    if (!hasValue) return { ARN: secret.arn, Name: secret.name };
    const version = putVersion(secret, input.ClientRequestToken ?? randomUUID(), input, undefined, now);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId };
  });
}

export async function putSecretValue(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(PutSecretValueRequest, body);
  authorizeSecretWrite(ctx, 'secretsmanager:PutSecretValue', input.SecretId);
  if (!checkSecretValue(input)) {
    throw invalidParameter('You must provide either SecretString or SecretBinary.');
  }
  return ctx.store.mutate((data) => {
    const secret = requireLiveSecret(data, input.SecretId);
    const versionId = input.ClientRequestToken ?? randomUUID();
    const version = putVersion(secret, versionId, input, input.VersionStages, ctx.now());
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      VersionStages: [...version.stages],
    };
  });
}

/** Metadata changes in place; a value makes a new AWSCURRENT version, as PutSecretValue would. */
export async function updateSecret(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(UpdateSecretRequest, body);
  authorizeSecretWrite(ctx, 'secretsmanager:UpdateSecret', input.SecretId);
  const hasValue = checkSecretValue(input);
  return ctx.store.mutate((data) => {
    const secret = requireLiveSecret(data, input.SecretId);
    const now = ctx.now();
    if (input.Description !== undefined) secret.description = input.Description;
    if (input.KmsKeyId !== undefined) secret.kmsKeyId = input.KmsKeyId;
    secret.lastChangedDate = now;
    if (!hasValue) return { ARN: secret.arn, Name: secret.name };
    const version = putVersion(secret, input.ClientRequestToken ?? randomUUID(), input, undefined, now);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId };
  });
}

/**
 * Moves or removes a staging label. A label attached elsewhere can only move with
 * RemoveFromVersionId naming its holder; moving AWSCURRENT makes the old holder AWSPREVIOUS.
 */
export async function updateSecretVersionStage(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(UpdateSecretVersionStageRequest, body);
  authorizeSecretWrite(ctx, 'secretsmanager:UpdateSecretVersionStage', input.SecretId);
  return ctx.store.mutate((data) => {
    const secret = requireLiveSecret(data, input.SecretId);
    const stage = input.VersionStage;
    const holder = versionHolding(secret, stage);
    if (input.RemoveFromVersionId !== undefined && holder?.versionId !== input.RemoveFromVersionId) {
      throw invalidParameter(
        `The staging label ${stage} is not attached to the version ${input.RemoveFromVersionId}, so you can't remove it.`,
      );
    }
    if (input.MoveToVersionId === undefined) {
      if (holder === undefined || input.RemoveFromVersionId === undefined)
        return { ARN: secret.arn, Name: secret.name };
      if (stage === AWSCURRENT) {
        throw invalidParameter(
          "You can only move the staging label AWSCURRENT to another version; you can't remove it.",
        );
      }
      removeStage(holder, stage);
      secret.lastChangedDate = ctx.now();
      return { ARN: secret.arn, Name: secret.name };
    }
    const target = findVersion(secret, input.MoveToVersionId);
    if (!target) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret version: ${input.MoveToVersionId}`,
      );
    }
    if (holder && holder !== target && input.RemoveFromVersionId === undefined) {
      throw invalidParameter(
        `The staging label ${stage} is currently attached to version ${holder.versionId}. To move it, you must specify RemoveFromVersionId.`,
      );
    }
    attachStage(secret, target, stage);
    secret.lastChangedDate = ctx.now();
    return { ARN: secret.arn, Name: secret.name };
  });
}

export async function deleteSecret(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(DeleteSecretRequest, body);
  authorizeSecretWrite(ctx, 'secretsmanager:DeleteSecret', input.SecretId);
  if (input.ForceDeleteWithoutRecovery === true && input.RecoveryWindowInDays !== undefined) {
    throw invalidParameter(
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
  }
  const window = input.RecoveryWindowInDays ?? 30;
  if (window < 7 || window > 30) {
    throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  }
  return ctx.store.mutate((data) => {
    const secret = requireSecret(data, input.SecretId);
    const now = ctx.now();
    if (input.ForceDeleteWithoutRecovery === true) {
      delete data.secrets[secret.name];
      return { ARN: secret.arn, Name: secret.name, DeletionDate: wireDate(now) };
    }
    if (secret.deletedDate !== undefined) {
      throw invalidRequest(
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
    secret.deletedDate = now;
    secret.deletionDate = now + window * DAY_MS;
    return { ARN: secret.arn, Name: secret.name, DeletionDate: wireDate(secret.deletionDate) };
  });
}

export async function restoreSecret(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(RestoreSecretRequest, body);
  authorizeSecretWrite(ctx, 'secretsmanager:RestoreSecret', input.SecretId);
  return ctx.store.mutate((data) => {
    const secret = requireSecret(data, input.SecretId);
    delete secret.deletedDate;
    delete secret.deletionDate;
    secret.lastChangedDate = ctx.now();
    return { ARN: secret.arn, Name: secret.name };
  });
}

export async function tagResource(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(TagResourceRequest, body);
  authorizeSecretWrite(ctx, 'secretsmanager:TagResource', input.SecretId);
  return ctx.store.mutate((data) => {
    const secret = requireLiveSecret(data, input.SecretId);
    for (const tag of input.Tags) {
      const existing = secret.tags.find((current) => current.Key === tag.Key);
      if (existing) existing.Value = tag.Value;
      else secret.tags.push({ Key: tag.Key, Value: tag.Value });
    }
    secret.lastChangedDate = ctx.now();
    return {};
  });
}

export async function untagResource(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(UntagResourceRequest, body);
  authorizeSecretWrite(ctx, 'secretsmanager:UntagResource', input.SecretId);
  return ctx.store.mutate((data) => {
    const secret = requireLiveSecret(data, input.SecretId);
    secret.tags = secret.tags.filter((tag) => !input.TagKeys.includes(tag.Key));
    secret.lastChangedDate = ctx.now();
    return {};
  });
}
