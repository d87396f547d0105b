import { grantsListSecrets } from '../access-policy';
import {
  AwsServiceError,
  invalidParameter,
  invalidRequest,
  markedForDeletion,
  notFoundSecret,
} from '../errors';
import { type OperationContext, wireDate } from '../operation';
import { byKey, decodeNextToken, page } from '../paging';
import { parseRequest } from '../request-validation';
import type { SecretRecord, SecretVersion } from '../store/state';
import { authorizeSecretRead } from './access';
import { matchesFilters } from './filters';
import { AWSCURRENT, accessDay, findVersion, versionHolding } from './model';
import {
  BatchGetSecretValueRequest,
  DescribeSecretRequest,
  GetSecretValueRequest,
  ListSecretsRequest,
  ListSecretVersionIdsRequest,
} from './requests';
import { describeSecret, listEntry, secretValueEntry } from './wire';

const invalidNextToken = () =>
  new AwsServiceError('InvalidNextTokenException', 'The NextToken value is invalid.');

/** The version a GetSecretValue asks for, with AWS's errors for every way it can be missing. */
function selectVersion(secret: SecretRecord, versionId?: string, versionStage?: string): SecretVersion {
  if (secret.deletedDate !== undefined) throw markedForDeletion();
  if (versionId !== undefined) {
    const version = findVersion(secret, versionId);
    if (!version) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
      );
    }
    if (versionStage !== undefined && !version.stages.includes(versionStage)) {
      throw invalidRequest('You provided a VersionStage that is not associated to the provided VersionId.');
    }
    return version;
  }
  const stage = versionStage ?? AWSCURRENT;
  const version = versionHolding(secret, stage);
  if (!version) {
    throw new AwsServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
    );
  }
  return version;
}

function readValue(ctx: OperationContext, secret: SecretRecord, version: SecretVersion): object {
  if (version.secretString === undefined && version.secretBinary === undefined) {
    throw new AwsServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for staging label: ${AWSCURRENT}`,
    );
  }
  // Access dates are kept in memory and written with the next change, so reads cost no fsync.
  const day = accessDay(ctx.now());
  secret.lastAccessedDate = day;
  version.lastAccessedDate = day;
  return secretValueEntry(secret, version);
}

export function getSecretValue(ctx: OperationContext, body: unknown): object {
  const input = parseRequest(GetSecretValueRequest, body);
  const secret = authorizeSecretRead(ctx, 'GetSecretValue', input.SecretId);
  if (!secret) throw notFoundSecret();
  return readValue(ctx, secret, selectVersion(secret, input.VersionId, input.VersionStage));
}

/**
 * Up to 20 secrets by id, or a page of secrets matching filters. A secret that cannot be read
 * (missing, denied, deleted, no value) becomes an Errors entry instead of failing the call.
 */
export function batchGetSecretValue(ctx: OperationContext, body: unknown): object {
  const input = parseRequest(BatchGetSecretValueRequest, body);
  if ((input.SecretIdList === undefined) === (input.Filters === undefined)) {
    throw invalidParameter('Either SecretIdList or Filters must be provided, but not both.');
  }
  if (input.SecretIdList !== undefined && input.MaxResults !== undefined) {
    throw invalidParameter('MaxResults can only be used with Filters.');
  }
  const secretValues: object[] = [];
  const errors: object[] = [];
  const readOne = (secretId: string) => {
    try {
      const secret = authorizeSecretRead(ctx, 'GetSecretValue', secretId);
      if (!secret) throw notFoundSecret();
      secretValues.push(readValue(ctx, secret, selectVersion(secret)));
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      errors.push({ SecretId: secretId, ErrorCode: error.code, Message: error.message });
    }
  };

  if (input.SecretIdList !== undefined) {
    for (const secretId of input.SecretIdList) readOne(secretId);
    return { SecretValues: secretValues, Errors: errors };
  }
  // Filters need secretsmanager:ListSecrets (a principal with a `manage` prefix holds it); each
  // matching secret is still checked for GetSecretValue below.
  requireListSecrets(ctx);
  const matching = Object.values(ctx.store.data.secrets)
    .filter((secret) => secret.deletedDate === undefined && matchesFilters(secret, input.Filters))
    .sort(byKey((secret) => secret.name));
  const after = decodeNextToken(input.NextToken, invalidNextToken);
  const result = page(matching, (secret) => secret.name, after, input.MaxResults ?? 20);
  for (const secret of result.items) readOne(secret.arn);
  return { SecretValues: secretValues, Errors: errors, NextToken: result.nextToken };
}

export function describeSecretOperation(ctx: OperationContext, body: unknown): object {
  const input = parseRequest(DescribeSecretRequest, body);
  const secret = authorizeSecretRead(ctx, 'DescribeSecret', input.SecretId);
  if (!secret) throw notFoundSecret();
  return describeSecret(secret);
}

/**
 * Sorted by name; deleted secrets only with IncludePlannedDeletion. A principal needs a `manage`
 * prefix; it then sees every name, unfiltered, as ListSecrets on "*" does in IAM.
 */
export function listSecrets(ctx: OperationContext, body: unknown): object {
  const input = parseRequest(ListSecretsRequest, body);
  requireListSecrets(ctx);
  const matching = Object.values(ctx.store.data.secrets)
    .filter((secret) => input.IncludePlannedDeletion === true || secret.deletedDate === undefined)
    .filter((secret) => matchesFilters(secret, input.Filters))
    .sort(byKey((secret) => secret.name));
  if (input.SortOrder === 'desc') matching.reverse();
  const keyOf = (secret: SecretRecord) => (input.SortOrder === 'desc' ? invertKey(secret.name) : secret.name);
  const after = decodeNextToken(input.NextToken, invalidNextToken);
  const result = page(matching, keyOf, after, input.MaxResults ?? 100);
  return { SecretList: result.items.map(listEntry), NextToken: result.nextToken };
}

function requireListSecrets(ctx: OperationContext): void {
  if (ctx.grant.kind === 'read' && !grantsListSecrets(ctx.grant.grant)) {
    throw ctx.access.denied(ctx.grant, 'secretsmanager:ListSecrets');
  }
}

/** Maps a name to a key that sorts in the opposite order, so one cursor rule pages both ways. */
function invertKey(name: string): string {
  return `${Array.from(name, (char) => String.fromCharCode(0xffff - char.charCodeAt(0))).join('')}\uffff`;
}

/** Newest first; versions without a stage only with IncludeDeprecated. */
export function listSecretVersionIds(ctx: OperationContext, body: unknown): object {
  const input = parseRequest(ListSecretVersionIdsRequest, body);
  const secret = authorizeSecretRead(ctx, 'ListSecretVersionIds', input.SecretId);
  if (!secret) throw notFoundSecret();
  const versionKey = (version: SecretVersion) =>
    invertKey(`${String(version.createdDate).padStart(15, '0')}:${version.versionId}`);
  const versions = secret.versions
    .filter((version) => input.IncludeDeprecated === true || version.stages.length > 0)
    .sort(byKey(versionKey));
  const after = decodeNextToken(input.NextToken, invalidNextToken);
  const result = page(versions, versionKey, after, input.MaxResults ?? 100);
  return {
    ARN: secret.arn,
    Name: secret.name,
    Versions: result.items.map((version) => ({
      VersionId: version.versionId,
      VersionStages: [...version.stages],
      CreatedDate: wireDate(version.createdDate),
      LastAccessedDate: wireDate(version.lastAccessedDate),
    })),
    NextToken: result.nextToken,
  };
}
