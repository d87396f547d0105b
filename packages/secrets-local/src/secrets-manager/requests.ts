import { z } from 'zod';

const SecretId = z.string().min(1).max(2048);
const Token = z.string().min(32).max(64);
const Stage = z.string().min(1).max(256);
const Tag = z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) });

export const Filter = z.object({
  Key: z.enum(['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all']),
  Values: z.array(z.string().min(1).max(512)).min(1).max(10),
});

export const GetSecretValueRequest = z.object({
  SecretId,
  VersionId: Token.optional(),
  VersionStage: Stage.optional(),
});

export const BatchGetSecretValueRequest = z.object({
  SecretIdList: z.array(SecretId).min(1).max(20).optional(),
  Filters: z.array(Filter).max(10).optional(),
  MaxResults: z.number().int().min(1).max(20).optional(),
  NextToken: z.string().min(1).max(4096).optional(),
});

export const DescribeSecretRequest = z.object({ SecretId });

export const ListSecretsRequest = z.object({
  IncludePlannedDeletion: z.boolean().optional(),
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().min(1).max(4096).optional(),
  Filters: z.array(Filter).max(10).optional(),
  SortOrder: z.enum(['asc', 'desc']).optional(),
});

export const ListSecretVersionIdsRequest = z.object({
  SecretId,
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().min(1).max(4096).optional(),
  IncludeDeprecated: z.boolean().optional(),
});

export const CreateSecretRequest = z.object({
  Name: z.string().min(1).max(512),
  ClientRequestToken: Token.optional(),
  Description: z.string().max(2048).optional(),
  KmsKeyId: z.string().max(2048).optional(),
  SecretBinary: z.string().optional(),
  SecretString: z.string().optional(),
  Tags: z.array(Tag).optional(),
  ForceOverwriteReplicaSecret: z.boolean().optional(),
});

export const PutSecretValueRequest = z.object({
  SecretId,
  ClientRequestToken: Token.optional(),
  SecretBinary: z.string().optional(),
  SecretString: z.string().optional(),
  VersionStages: z.array(Stage).min(1).max(20).optional(),
});

export const UpdateSecretRequest = z.object({
  SecretId,
  ClientRequestToken: Token.optional(),
  Description: z.string().max(2048).optional(),
  KmsKeyId: z.string().max(2048).optional(),
  SecretBinary: z.string().optional(),
  SecretString: z.string().optional(),
});

export const UpdateSecretVersionStageRequest = z.object({
  SecretId,
  VersionStage: Stage,
  RemoveFromVersionId: Token.optional(),
  MoveToVersionId: Token.optional(),
});

export const RotateSecretRequest = z.object({
  SecretId,
  ClientRequestToken: Token.optional(),
  RotationLambdaARN: z.string().max(2048).optional(),
  RotationRules: z
    .object({
      AutomaticallyAfterDays: z.number().int().min(1).max(1000).optional(),
      Duration: z.string().min(2).max(3).optional(),
      ScheduleExpression: z.string().min(1).max(256).optional(),
    })
    .optional(),
  RotateImmediately: z.boolean().optional(),
});

export const DeleteSecretRequest = z.object({
  SecretId,
  RecoveryWindowInDays: z.number().int().optional(),
  ForceDeleteWithoutRecovery: z.boolean().optional(),
});

export const RestoreSecretRequest = z.object({ SecretId });

export const TagResourceRequest = z.object({ SecretId, Tags: z.array(Tag) });

export const UntagResourceRequest = z.object({ SecretId, TagKeys: z.array(z.string().min(1).max(128)) });
