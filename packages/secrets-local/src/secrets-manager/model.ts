import { randomBytes } from 'node:crypto';
import { AwsServiceError, markedForDeletion, notFoundSecret } from '../errors';
import type { SecretRecord, SecretVersion, StoreData } from '../store/state';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';
export const AWSPENDING = 'AWSPENDING';

/** AWS keeps about 100 versions without a stage; older ones are dropped. */
export const MAX_DEPRECATED_VERSIONS = 100;
export const MAX_SECRET_BYTES = 65_536;

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function secretArn(region: string, accountId: string, name: string): string {
  const bytes = randomBytes(6);
  const suffix = Array.from(bytes, (byte) => SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length]).join('');
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

/** Finds a secret by name, full ARN or partial ARN (the ARN without its 6-character suffix). */
export function findSecret(data: StoreData, secretId: string): SecretRecord | undefined {
  const byName = data.secrets[secretId];
  if (byName) return byName;
  if (!secretId.startsWith('arn:')) return undefined;
  return Object.values(data.secrets).find(
    (secret) => secret.arn === secretId || secret.arn.replace(/-[A-Za-z0-9]{6}$/, '') === secretId,
  );
}

export function requireSecret(data: StoreData, secretId: string): SecretRecord {
  const secret = findSecret(data, secretId);
  if (!secret) throw notFoundSecret();
  return secret;
}

/** A secret that is not scheduled for deletion. */
export function requireLiveSecret(data: StoreData, secretId: string): SecretRecord {
  const secret = requireSecret(data, secretId);
  if (secret.deletedDate !== undefined) throw markedForDeletion();
  return secret;
}

/** Removes secrets whose recovery window has passed. */
export function purgeExpiredSecrets(data: StoreData, now: number): void {
  for (const [name, secret] of Object.entries(data.secrets)) {
    if (secret.deletionDate !== undefined && secret.deletionDate <= now) delete data.secrets[name];
  }
}

export function versionHolding(secret: SecretRecord, stage: string): SecretVersion | undefined {
  return secret.versions.find((version) => version.stages.includes(stage));
}

export function findVersion(secret: SecretRecord, versionId: string): SecretVersion | undefined {
  return secret.versions.find((version) => version.versionId === versionId);
}

function detachStage(secret: SecretRecord, stage: string): void {
  for (const version of secret.versions) version.stages = version.stages.filter((label) => label !== stage);
}

/**
 * Attaches `stage` to `target`, removing it from wherever it was. Moving AWSCURRENT makes the
 * version that had it AWSPREVIOUS, as Secrets Manager does.
 */
export function attachStage(secret: SecretRecord, target: SecretVersion, stage: string): void {
  const holder = versionHolding(secret, stage);
  if (holder === target) return;
  detachStage(secret, stage);
  target.stages.push(stage);
  if (stage === AWSCURRENT && holder) {
    detachStage(secret, AWSPREVIOUS);
    holder.stages.push(AWSPREVIOUS);
  }
}

export function removeStage(version: SecretVersion, stage: string): void {
  version.stages = version.stages.filter((label) => label !== stage);
}

/** Drops the oldest versions without a stage beyond the bound AWS keeps. */
export function pruneDeprecatedVersions(secret: SecretRecord): void {
  let deprecated = secret.versions.filter((version) => version.stages.length === 0).length;
  if (deprecated <= MAX_DEPRECATED_VERSIONS) return;
  secret.versions = secret.versions.filter((version) => {
    if (version.stages.length > 0 || deprecated <= MAX_DEPRECATED_VERSIONS) return true;
    deprecated -= 1;
    return false;
  });
}

export interface SecretValueInput {
  SecretString?: string;
  SecretBinary?: string;
}

/** Checks the value AWS-style: not both kinds, at most 65,536 bytes. Answers whether there is one. */
export function checkSecretValue(input: SecretValueInput): boolean {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw new AwsServiceError(
      'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (input.SecretString !== undefined && Buffer.byteLength(input.SecretString, 'utf8') > MAX_SECRET_BYTES) {
    throw tooLarge('secretString');
  }
  if (
    input.SecretBinary !== undefined &&
    Buffer.from(input.SecretBinary, 'base64').length > MAX_SECRET_BYTES
  ) {
    throw tooLarge('secretBinary');
  }
  return input.SecretString !== undefined || input.SecretBinary !== undefined;
}

function tooLarge(field: string): AwsServiceError {
  return new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SECRET_BYTES}`,
  );
}

export function sameValue(version: SecretVersion, input: SecretValueInput): boolean {
  return version.secretString === input.SecretString && version.secretBinary === input.SecretBinary;
}

/**
 * Adds a version (or answers the existing one for a repeated ClientRequestToken with the same
 * value). New versions get `stages`, AWSCURRENT when omitted, and always AWSCURRENT if first.
 */
export function putVersion(
  secret: SecretRecord,
  versionId: string,
  input: SecretValueInput,
  stages: string[] | undefined,
  now: number,
): SecretVersion {
  const existing = findVersion(secret, versionId);
  if (existing) {
    if (sameValue(existing, input)) return existing;
    throw new AwsServiceError(
      'ResourceExistsException',
      "You can't modify an existing version, you can only create a new version.",
    );
  }
  const first = versionHolding(secret, AWSCURRENT) === undefined;
  const version: SecretVersion = { versionId, stages: [], createdDate: now };
  if (input.SecretString !== undefined) version.secretString = input.SecretString;
  if (input.SecretBinary !== undefined) version.secretBinary = input.SecretBinary;
  secret.versions.push(version);
  const labels = new Set(stages ?? [AWSCURRENT]);
  if (first) labels.add(AWSCURRENT);
  for (const stage of labels) attachStage(secret, version, stage);
  pruneDeprecatedVersions(secret);
  secret.lastChangedDate = now;
  return version;
}

/** AWS records LastAccessedDate to the day. */
export function accessDay(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

const NAME_PATTERN = /^[A-Za-z0-9/_+=.@!-]+$/;

export function checkSecretName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new AwsServiceError(
      'ValidationException',
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
  }
}
