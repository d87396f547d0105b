import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { InvalidValueError } from './errors';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPENDING = 'AWSPENDING';
export const AWSPREVIOUS = 'AWSPREVIOUS';

export type SecretObject = Record<string, unknown>;

export interface SecretMetadata {
  arn: string;
  name: string;
  rotationEnabled: boolean;
  versionIdsToStages: Record<string, string[]>;
}

/** The Secrets Manager calls of a rotation, for one secret. */
export class SecretVersions {
  constructor(
    private readonly client: SecretsManagerClient,
    readonly secretId: string,
    /** For messages; set once the name is known. */
    public secretName = secretId,
  ) {}

  async describe(): Promise<SecretMetadata> {
    const described = await this.client.send(new DescribeSecretCommand({ SecretId: this.secretId }));
    return {
      arn: described.ARN ?? this.secretId,
      name: described.Name ?? this.secretId,
      // AWS omits the field on secrets that were never configured for rotation.
      rotationEnabled: described.RotationEnabled === true,
      versionIdsToStages: described.VersionIdsToStages ?? {},
    };
  }

  /** The JSON object at a stage (and version); undefined when no version holds it. */
  async read(stage: string, versionId?: string): Promise<SecretObject | undefined> {
    let text: string | undefined;
    try {
      const answer = await this.client.send(
        new GetSecretValueCommand({ SecretId: this.secretId, VersionStage: stage, VersionId: versionId }),
      );
      text = answer.SecretString;
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
    return parseObject(this.secretName, stage, text);
  }

  /**
   * Writes the new version under the rotation's token with AWSPENDING only. The token is the version
   * id, so a retried put of the same value is a no-op for Secrets Manager.
   */
  async putPending(token: string, value: SecretObject): Promise<void> {
    await this.client.send(
      new PutSecretValueCommand({
        SecretId: this.secretId,
        ClientRequestToken: token,
        SecretString: JSON.stringify(value),
        VersionStages: [AWSPENDING],
      }),
    );
  }

  /** AWSCURRENT to `token`; the old holder becomes AWSPREVIOUS (Secrets Manager moves that label itself). */
  async moveCurrent(token: string, from: string | undefined): Promise<void> {
    await this.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: this.secretId,
        VersionStage: AWSCURRENT,
        MoveToVersionId: token,
        RemoveFromVersionId: from,
      }),
    );
  }

  async removeStage(stage: string, versionId: string): Promise<void> {
    await this.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: this.secretId,
        VersionStage: stage,
        RemoveFromVersionId: versionId,
      }),
    );
  }
}

export function versionHolding(metadata: SecretMetadata, stage: string): string | undefined {
  return Object.entries(metadata.versionIdsToStages).find(([, stages]) => stages.includes(stage))?.[0];
}

function parseObject(secretName: string, stage: string, text: string | undefined): SecretObject {
  if (text === undefined) throw new InvalidValueError(secretName, `${stage} has no SecretString`, []);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidValueError(secretName, `${stage} is not JSON`, []);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidValueError(secretName, `${stage} is not a JSON object`, []);
  }
  return value as SecretObject;
}
