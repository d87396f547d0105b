import { ConfigurationError } from '../errors';

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The ARN partition a region belongs to (China and GovCloud regions have their own). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function assertAccountId(accountId: string): void {
  if (!ACCOUNT_ID.test(accountId)) {
    throw new ConfigurationError(`account id must be 12 digits (got ${JSON.stringify(accountId)})`);
  }
}

export function assertRegion(region: string): void {
  if (!REGION.test(region)) {
    throw new ConfigurationError(`region must look like ap-northeast-2 (got ${JSON.stringify(region)})`);
  }
}

/**
 * ARN pattern for one secret. Secrets Manager appends `-` and six random characters to every
 * secret's ARN; `??????` matches exactly those six, so the pattern covers this secret (and a
 * re-created one of the same name) but not `estate/dev/jwt-old` or `estate/dev/jwt/anything`.
 */
export function secretArnPattern(region: string, accountId: string, secretName: string): string {
  return `arn:${partitionOf(region)}:secretsmanager:${region}:${accountId}:secret:${secretName}-??????`;
}

/**
 * ARN pattern for every secret under a runtime prefix (`estate/{env}/orgs/`, trailing slash
 * included): the `*` covers the rest of the name and the six-character suffix, and nothing
 * outside the prefix.
 */
export function runtimeSecretArnPattern(region: string, accountId: string, prefixName: string): string {
  const prefix = prefixName.endsWith('/') ? prefixName : `${prefixName}/`;
  return `arn:${partitionOf(region)}:secretsmanager:${region}:${accountId}:secret:${prefix}*`;
}

/** SSM parameter ARN: the name keeps its leading slash after `parameter`. */
export function parameterArn(region: string, accountId: string, parameterName: string): string {
  const path = parameterName.startsWith('/') ? parameterName : `/${parameterName}`;
  return `arn:${partitionOf(region)}:ssm:${region}:${accountId}:parameter${path}`;
}
