export { accessTable } from './access-table';
export { parameterArn, partitionOf, runtimeSecretArnPattern, secretArnPattern } from './arns';
export {
  type IamPolicyDocument,
  type IamPolicyOptions,
  type IamStatement,
  iamPolicyFor,
  RUNTIME_SECRET_ACTIONS,
  STATEMENT_IDS,
} from './iam-policy';
export {
  LOCAL_ADMIN_ACCESS_KEY_ID,
  type LocalAccessPolicy,
  localAccessKeyId,
  localAccessPolicy,
} from './local-access-policy';
