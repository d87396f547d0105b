import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { LocalEndpoint, RotationEvent } from '../../src';
import { randomValue, rejectionOf, secretsClient, startLocal, uniqueName } from '../support/local-endpoint';

describe('RotateSecret without a rotation handler', () => {
  let endpoint: LocalEndpoint;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    endpoint = await startLocal();
    client = secretsClient(endpoint);
  });

  afterAll(async () => {
    client.destroy();
    await endpoint.stop();
  });

  it('answers AWS InvalidRequestException when no Lambda ARN is configured', async () => {
    const name = uniqueName('estate/test/rotate');
    await client.send(new CreateSecretCommand({ Name: name, SecretString: randomValue() }));
    const error = await rejectionOf(client.send(new RotateSecretCommand({ SecretId: name })));
    expect(error.name).toBe('InvalidRequestException');
    expect(error.message).toContain("doesn't already have a Lambda function ARN configured");
  });

  it('records the schedule with RotateImmediately=false', async () => {
    const name = uniqueName('estate/test/rotate');
    await client.send(new CreateSecretCommand({ Name: name, SecretString: randomValue() }));
    const lambda = 'arn:aws:lambda:ap-northeast-2:000000000000:function:estate-rotator';
    await client.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: lambda,
        RotationRules: { AutomaticallyAfterDays: 30 },
        RotateImmediately: false,
      }),
    );
    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described).toMatchObject({
      RotationEnabled: true,
      RotationLambdaARN: lambda,
      RotationRules: { AutomaticallyAfterDays: 30 },
    });
    expect(described.NextRotationDate).toBeInstanceOf(Date);
  });
});

describe('RotateSecret with a rotation handler', () => {
  it('runs the four steps in order; a handler doing a real rotation moves the stages', async () => {
    const steps: RotationEvent['Step'][] = [];
    let client: SecretsManagerClient | undefined;
    const newValue = randomValue();
    const endpoint = await startLocal({
      rotationHandler: async ({ SecretId, ClientRequestToken, Step }) => {
        steps.push(Step);
        if (Step === 'createSecret') {
          await client!.send(
            new PutSecretValueCommand({
              SecretId,
              ClientRequestToken,
              SecretString: newValue,
              VersionStages: ['AWSPENDING'],
            }),
          );
        }
        if (Step === 'finishSecret') {
          const current = await client!.send(new DescribeSecretCommand({ SecretId }));
          const currentId = Object.entries(current.VersionIdsToStages!).find(([, stages]) =>
            stages.includes('AWSCURRENT'),
          )![0];
          await client!.send(
            new UpdateSecretVersionStageCommand({
              SecretId,
              VersionStage: 'AWSCURRENT',
              MoveToVersionId: ClientRequestToken,
              RemoveFromVersionId: currentId,
            }),
          );
          await client!.send(
            new UpdateSecretVersionStageCommand({
              SecretId,
              VersionStage: 'AWSPENDING',
              RemoveFromVersionId: ClientRequestToken,
            }),
          );
        }
      },
    });
    client = secretsClient(endpoint);
    const name = uniqueName('estate/test/rotate');
    const oldValue = randomValue();
    await client.send(new CreateSecretCommand({ Name: name, SecretString: oldValue }));

    const rotated = await client.send(
      new RotateSecretCommand({ SecretId: name, RotationRules: { AutomaticallyAfterDays: 30 } }),
    );
    expect(steps).toEqual(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
    const current = await client.send(new GetSecretValueCommand({ SecretId: name }));
    expect(current).toMatchObject({ VersionId: rotated.VersionId, SecretString: newValue });
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe(oldValue);
    expect((await client.send(new DescribeSecretCommand({ SecretId: name }))).LastRotatedDate).toBeInstanceOf(
      Date,
    );

    client.destroy();
    await endpoint.stop();
  });
});
