import { AwsServiceError, validationError } from '../errors';
import { type OperationContext, wireDate } from '../operation';
import type { ParameterRecord } from '../store/state';

export const parameterNotFound = (name: string) =>
  new AwsServiceError('ParameterNotFound', `Parameter ${name} not found.`);

/** `arn:aws:ssm:<region>:<account>:parameter/<name without leading slash>` */
export function parameterArn(ctx: OperationContext, name: string): string {
  return `arn:aws:ssm:${ctx.region}:${ctx.accountId}:parameter/${name.replace(/^\//, '')}`;
}

/** The Parameter shape of GetParameter(s) / GetParametersByPath. SecureString values are stored and answered as given. */
export function parameterEntry(ctx: OperationContext, parameter: ParameterRecord): object {
  return {
    Name: parameter.name,
    Type: parameter.type,
    Value: parameter.value,
    Version: parameter.version,
    LastModifiedDate: wireDate(parameter.lastModifiedDate),
    ARN: parameterArn(ctx, parameter.name),
    DataType: parameter.dataType,
  };
}

/** The metadata shape of DescribeParameters (no value). */
export function parameterMetadata(ctx: OperationContext, parameter: ParameterRecord): object {
  return {
    Name: parameter.name,
    ARN: parameterArn(ctx, parameter.name),
    Type: parameter.type,
    KeyId: parameter.keyId,
    LastModifiedDate: wireDate(parameter.lastModifiedDate),
    Description: parameter.description,
    Version: parameter.version,
    Tier: parameter.tier,
    DataType: parameter.dataType,
  };
}

/** SSM's naming rules, the ones a caller is likely to trip over. */
export function checkParameterName(name: string): void {
  if (name.includes('/') && !name.startsWith('/')) {
    throw validationError('Parameter name must be a fully qualified name.');
  }
  if (/^\/?(aws|ssm)/i.test(name)) {
    throw validationError('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  }
  if (name.split('/').filter(Boolean).length > 15) {
    throw validationError('Parameter name hierarchy cannot exceed 15 levels.');
  }
}

/** Is `name` under `path` (directly, or at any depth when recursive)? */
export function isUnderPath(name: string, path: string, recursive: boolean): boolean {
  const base = path === '/' ? '/' : `${path.replace(/\/+$/, '')}/`;
  if (!name.startsWith(base)) return false;
  const rest = name.slice(base.length);
  return rest.length > 0 && (recursive || !rest.includes('/'));
}
