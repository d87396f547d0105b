import { grantsParameter, grantsParameterPath } from '../access-policy';
import { AwsServiceError, constraintViolation, validationError } from '../errors';
import { type OperationContext, type OperationTable, requireWriteAccess } from '../operation';
import { byKey, decodeNextToken, page } from '../paging';
import { parseRequest } from '../request-validation';
import type { ParameterRecord } from '../store/state';
import {
  checkParameterName,
  isUnderPath,
  parameterArn,
  parameterEntry,
  parameterMetadata,
  parameterNotFound,
} from './parameters';
import {
  DeleteParameterRequest,
  DescribeParametersRequest,
  GetParameterRequest,
  GetParametersByPathRequest,
  GetParametersRequest,
  PutParameterRequest,
} from './requests';

const invalidNextToken = () => validationError('The specified NextToken is not valid.');

function authorizeParameterRead(ctx: OperationContext, action: string, name: string): void {
  if (ctx.grant.kind === 'everything' || grantsParameter(ctx.grant.grant, name)) return;
  throw ctx.access.denied(ctx.grant, `ssm:${action}`, parameterArn(ctx, name));
}

function sortedParameters(ctx: OperationContext): ParameterRecord[] {
  return Object.values(ctx.store.data.parameters).sort(byKey((parameter) => parameter.name));
}

function getParameter(ctx: OperationContext, body: unknown): object {
  const input = parseRequest(GetParameterRequest, body);
  authorizeParameterRead(ctx, 'GetParameter', input.Name);
  const parameter = ctx.store.data.parameters[input.Name];
  if (!parameter) throw parameterNotFound(input.Name);
  return { Parameter: parameterEntry(ctx, parameter) };
}

/** One denied name fails the whole call, as IAM evaluates every requested resource. */
function getParameters(ctx: OperationContext, body: unknown): object {
  const input = parseRequest(GetParametersRequest, body);
  for (const name of input.Names) authorizeParameterRead(ctx, 'GetParameters', name);
  const parameters: object[] = [];
  const invalid: string[] = [];
  for (const name of input.Names) {
    const parameter = ctx.store.data.parameters[name];
    if (parameter) parameters.push(parameterEntry(ctx, parameter));
    else invalid.push(name);
  }
  return { Parameters: parameters, InvalidParameters: invalid };
}

function getParametersByPath(ctx: OperationContext, body: unknown): object {
  const input = parseRequest(GetParametersByPathRequest, body);
  if (!input.Path.startsWith('/')) {
    throw constraintViolation([
      `Value '${input.Path}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: ^/.*`,
    ]);
  }
  if (ctx.grant.kind === 'read' && !grantsParameterPath(ctx.grant.grant, input.Path)) {
    throw ctx.access.denied(ctx.grant, 'ssm:GetParametersByPath', parameterArn(ctx, input.Path));
  }
  const matching = sortedParameters(ctx).filter((parameter) =>
    isUnderPath(parameter.name, input.Path, input.Recursive === true),
  );
  const after = decodeNextToken(input.NextToken, invalidNextToken);
  const result = page(matching, (parameter) => parameter.name, after, input.MaxResults ?? 10);
  return {
    Parameters: result.items.map((parameter) => parameterEntry(ctx, parameter)),
    NextToken: result.nextToken,
  };
}

async function putParameter(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(PutParameterRequest, body);
  requireWriteAccess(ctx, 'ssm:PutParameter', parameterArn(ctx, input.Name));
  checkParameterName(input.Name);
  const tier = input.Tier === 'Advanced' ? 'Advanced' : 'Standard';
  const limit = tier === 'Advanced' ? 8192 : 4096;
  if (input.Value.length > limit) {
    throw validationError(
      tier === 'Standard'
        ? 'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.'
        : 'Advanced tier parameters support a maximum parameter value of 8192 characters.',
    );
  }
  return ctx.store.mutate((data) => {
    const existing = data.parameters[input.Name];
    if (existing && input.Overwrite !== true) {
      throw new AwsServiceError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const type = input.Type ?? existing?.type;
    if (type === undefined)
      throw validationError('A parameter type is required when you create a parameter.');
    const parameter: ParameterRecord = {
      name: input.Name,
      type,
      value: input.Value,
      version: (existing?.version ?? 0) + 1,
      lastModifiedDate: ctx.now(),
      description: input.Description ?? existing?.description,
      keyId: type === 'SecureString' ? (input.KeyId ?? existing?.keyId ?? 'alias/aws/ssm') : undefined,
      tier,
      dataType: input.DataType ?? existing?.dataType ?? 'text',
    };
    data.parameters[input.Name] = parameter;
    return { Version: parameter.version, Tier: tier };
  });
}

async function deleteParameter(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(DeleteParameterRequest, body);
  requireWriteAccess(ctx, 'ssm:DeleteParameter', parameterArn(ctx, input.Name));
  return ctx.store.mutate((data) => {
    if (!data.parameters[input.Name]) throw parameterNotFound(input.Name);
    delete data.parameters[input.Name];
    return {};
  });
}

/** Supports ParameterFilters on Name (Equals, BeginsWith), Path (Recursive, OneLevel) and Type (Equals). */
function describeParameters(ctx: OperationContext, body: unknown): object {
  const input = parseRequest(DescribeParametersRequest, body);
  if (ctx.grant.kind === 'read') throw ctx.access.denied(ctx.grant, 'ssm:DescribeParameters');
  const filters = input.ParameterFilters ?? [];
  const matching = sortedParameters(ctx).filter((parameter) =>
    filters.every((filter) => {
      const values = filter.Values ?? [];
      switch (filter.Key) {
        case 'Name':
          return filter.Option === 'BeginsWith'
            ? values.some((value) => parameter.name.startsWith(value))
            : values.includes(parameter.name);
        case 'Path':
          return values.some((value) => isUnderPath(parameter.name, value, filter.Option === 'Recursive'));
        case 'Type':
          return values.includes(parameter.type);
        default:
          return true;
      }
    }),
  );
  const after = decodeNextToken(input.NextToken, invalidNextToken);
  const result = page(matching, (parameter) => parameter.name, after, input.MaxResults ?? 50);
  return {
    Parameters: result.items.map((parameter) => parameterMetadata(ctx, parameter)),
    NextToken: result.nextToken,
  };
}

/** SSM Parameter Store (X-Amz-Target `AmazonSSM.<Operation>`). */
export const ssmOperations: OperationTable = {
  DeleteParameter: deleteParameter,
  DescribeParameters: describeParameters,
  GetParameter: getParameter,
  GetParameters: getParameters,
  GetParametersByPath: getParametersByPath,
  PutParameter: putParameter,
};
