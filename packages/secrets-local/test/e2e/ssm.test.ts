import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  type GetParametersByPathCommandOutput,
  GetParametersCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { LocalEndpoint } from '../../src';
import { randomValue, rejectionOf, ssmClient, startLocal, uniqueName } from '../support/local-endpoint';

let endpoint: LocalEndpoint;
let client: SSMClient;

beforeAll(async () => {
  endpoint = await startLocal();
  client = ssmClient(endpoint);
});

afterAll(async () => {
  client.destroy();
  await endpoint.stop();
});

describe('PutParameter and GetParameter', () => {
  it('stores String, StringList and SecureString parameters with an SSM ARN', async () => {
    const base = `/${uniqueName('estate')}/dev/config`;
    await client.send(new PutParameterCommand({ Name: `${base}/log_level`, Value: 'debug', Type: 'String' }));
    await client.send(
      new PutParameterCommand({ Name: `${base}/regions`, Value: '11,26', Type: 'StringList' }),
    );
    const secure = randomValue();
    await client.send(
      new PutParameterCommand({ Name: `${base}/token`, Value: secure, Type: 'SecureString' }),
    );

    const got = await client.send(new GetParameterCommand({ Name: `${base}/log_level` }));
    expect(got.Parameter).toMatchObject({
      Name: `${base}/log_level`,
      Type: 'String',
      Value: 'debug',
      Version: 1,
      ARN: `arn:aws:ssm:ap-northeast-2:000000000000:parameter${base}/log_level`,
    });
    expect(got.Parameter!.LastModifiedDate).toBeInstanceOf(Date);
    const token = await client.send(new GetParameterCommand({ Name: `${base}/token`, WithDecryption: true }));
    expect(token.Parameter).toMatchObject({ Type: 'SecureString', Value: secure });
  });

  it('increments Version on Overwrite and refuses to overwrite without it', async () => {
    const name = `/${uniqueName('estate')}/dev/features/search`;
    const first = await client.send(new PutParameterCommand({ Name: name, Value: 'off', Type: 'String' }));
    expect(first.Version).toBe(1);
    const refused = await rejectionOf(
      client.send(new PutParameterCommand({ Name: name, Value: 'on', Type: 'String' })),
    );
    expect(refused.name).toBe('ParameterAlreadyExists');
    const second = await client.send(new PutParameterCommand({ Name: name, Value: 'on', Overwrite: true }));
    expect(second.Version).toBe(2);
    expect((await client.send(new GetParameterCommand({ Name: name }))).Parameter).toMatchObject({
      Value: 'on',
      Version: 2,
    });
  });

  it('answers ParameterNotFound, and DeleteParameter removes', async () => {
    const name = `/${uniqueName('estate')}/gone`;
    await client.send(new PutParameterCommand({ Name: name, Value: 'x', Type: 'String' }));
    await client.send(new DeleteParameterCommand({ Name: name }));
    const missing = await rejectionOf(client.send(new GetParameterCommand({ Name: name })));
    expect(missing.name).toBe('ParameterNotFound');
    const deleteAgain = await rejectionOf(client.send(new DeleteParameterCommand({ Name: name })));
    expect(deleteAgain.name).toBe('ParameterNotFound');
  });

  it('requires a Type for a new parameter', async () => {
    const error = await rejectionOf(
      client.send(new PutParameterCommand({ Name: `/${uniqueName('estate')}/x`, Value: 'x' })),
    );
    expect(error.name).toBe('ValidationException');
  });
});

describe('GetParameters', () => {
  it('answers found Parameters and unknown InvalidParameters', async () => {
    const base = `/${uniqueName('estate')}`;
    await client.send(new PutParameterCommand({ Name: `${base}/a`, Value: '1', Type: 'String' }));
    const result = await client.send(new GetParametersCommand({ Names: [`${base}/a`, `${base}/missing`] }));
    expect(result.Parameters!.map((parameter) => parameter.Name)).toEqual([`${base}/a`]);
    expect(result.InvalidParameters).toEqual([`${base}/missing`]);
  });

  it('rejects more than 10 names with a ValidationException', async () => {
    const names = Array.from({ length: 11 }, (_, index) => `/estate/p${index}`);
    const error = await rejectionOf(client.send(new GetParametersCommand({ Names: names })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(
      "at 'names' failed to satisfy constraint: Member must have length less than or equal to 10",
    );
  });
});

describe('GetParametersByPath', () => {
  it('pages with MaxResults and NextToken, one level or recursive', async () => {
    const base = `/${uniqueName('estate')}/dev`;
    for (let index = 0; index < 12; index += 1) {
      await client.send(
        new PutParameterCommand({
          Name: `${base}/config/p${String(index).padStart(2, '0')}`,
          Value: `${index}`,
          Type: 'String',
        }),
      );
    }
    await client.send(
      new PutParameterCommand({ Name: `${base}/config/nested/deep`, Value: 'deep', Type: 'String' }),
    );

    const pages: number[] = [];
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const result = await client.send(
        new GetParametersByPathCommand({ Path: `${base}/config`, MaxResults: 5, NextToken: nextToken }),
      );
      pages.push(result.Parameters!.length);
      names.push(...result.Parameters!.map((parameter) => parameter.Name!));
      nextToken = result.NextToken;
    } while (nextToken);
    expect(pages).toEqual([5, 5, 2]);
    expect(names).not.toContain(`${base}/config/nested/deep`);

    const recursive: string[] = [];
    nextToken = undefined;
    do {
      const result: GetParametersByPathCommandOutput = await client.send(
        new GetParametersByPathCommand({ Path: `${base}/`, Recursive: true, NextToken: nextToken }),
      );
      recursive.push(...result.Parameters!.map((parameter) => parameter.Name!));
      nextToken = result.NextToken;
    } while (nextToken);
    expect(recursive).toHaveLength(13);
  });

  it('rejects MaxResults above 10 with a ValidationException', async () => {
    const error = await rejectionOf(
      client.send(new GetParametersByPathCommand({ Path: '/estate', MaxResults: 11 })),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    );
  });
});

describe('DescribeParameters', () => {
  it('lists metadata without values, filtered by path', async () => {
    const base = `/${uniqueName('estate')}`;
    await client.send(
      new PutParameterCommand({ Name: `${base}/a`, Value: '1', Type: 'String', Description: 'first' }),
    );
    const result = await client.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [base] }],
      }),
    );
    expect(result.Parameters).toHaveLength(1);
    expect(result.Parameters![0]).toMatchObject({ Name: `${base}/a`, Description: 'first', Version: 1 });
    expect(result.Parameters![0]).not.toHaveProperty('Value');
  });
});
