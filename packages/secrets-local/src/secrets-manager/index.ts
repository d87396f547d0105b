import type { OperationTable } from '../operation';
import {
  batchGetSecretValue,
  describeSecretOperation,
  getSecretValue,
  listSecrets,
  listSecretVersionIds,
} from './read-operations';
import { rotateSecret } from './rotation';
import {
  createSecret,
  deleteSecret,
  putSecretValue,
  restoreSecret,
  tagResource,
  untagResource,
  updateSecret,
  updateSecretVersionStage,
} from './write-operations';

/** Secrets Manager (X-Amz-Target `secretsmanager.<Operation>`). */
export const secretsManagerOperations: OperationTable = {
  BatchGetSecretValue: batchGetSecretValue,
  CreateSecret: createSecret,
  DeleteSecret: deleteSecret,
  DescribeSecret: describeSecretOperation,
  GetSecretValue: getSecretValue,
  ListSecrets: listSecrets,
  ListSecretVersionIds: listSecretVersionIds,
  PutSecretValue: putSecretValue,
  RestoreSecret: restoreSecret,
  RotateSecret: rotateSecret,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateSecret: updateSecret,
  UpdateSecretVersionStage: updateSecretVersionStage,
};
