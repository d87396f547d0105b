import { wireDate } from '../operation';
import type { SecretRecord, SecretVersion } from '../store/state';

/** The GetSecretValue / BatchGetSecretValue entry for one version. */
export function secretValueEntry(secret: SecretRecord, version: SecretVersion): object {
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    SecretString: version.secretString,
    SecretBinary: version.secretBinary,
    VersionStages: [...version.stages],
    CreatedDate: wireDate(version.createdDate),
  };
}

function versionsToStages(secret: SecretRecord): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const version of secret.versions) {
    if (version.stages.length > 0) map[version.versionId] = [...version.stages];
  }
  return map;
}

function metadata(secret: SecretRecord): Record<string, unknown> {
  const { rotation } = secret;
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    RotationEnabled: rotation.enabled,
    RotationLambdaARN: rotation.lambdaArn,
    RotationRules: rotation.rules,
    LastRotatedDate: wireDate(rotation.lastRotatedDate),
    NextRotationDate: wireDate(rotation.nextRotationDate),
    LastChangedDate: wireDate(secret.lastChangedDate),
    LastAccessedDate: wireDate(secret.lastAccessedDate),
    DeletedDate: wireDate(secret.deletedDate),
    Tags: secret.tags.map((tag) => ({ ...tag })),
    CreatedDate: wireDate(secret.createdDate),
  };
}

/** DescribeSecret's answer. */
export function describeSecret(secret: SecretRecord): object {
  return { ...metadata(secret), VersionIdsToStages: versionsToStages(secret) };
}

/** One ListSecrets entry: the same metadata, with the map under its ListSecrets name. */
export function listEntry(secret: SecretRecord): object {
  return { ...metadata(secret), SecretVersionsToStages: versionsToStages(secret) };
}
