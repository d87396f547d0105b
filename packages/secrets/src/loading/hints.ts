import type { ItemFailure } from '../sources';

/** What to do about a failed read: the IAM action and resource, the KMS key, the seed command. */
export function hintFor(
  kind: 'secret' | 'parameter',
  name: string,
  failure: ItemFailure,
): string | undefined {
  if (failure.hint) return failure.hint;
  const { errorName, message, arn } = failure;
  if (errorName === 'AccessDeniedException') {
    const action = /perform: ([\w-]+:\w+)/.exec(message)?.[1];
    if (kind === 'parameter') {
      return `missing IAM action ${action ?? 'ssm:GetParameters'} on ${arn ?? `arn:aws:ssm:<region>:<account>:parameter${name}`}`;
    }
    return `missing IAM action ${action ?? 'secretsmanager:GetSecretValue'} on ${arn ?? name}`;
  }
  if (errorName === 'DecryptionFailure' || errorName.startsWith('KMS')) {
    return `missing kms:Decrypt on the secret's KMS key${arn ? ` (${arn})` : ''}, or the key is disabled`;
  }
  if (errorName === 'ResourceNotFoundException') {
    return `no secret named ${name} in this account/region: run \`estate-secrets seed --env dev\` or check the name`;
  }
  if (errorName === 'ParameterNotFound') {
    return `no parameter named ${name}: create it (PutParameter) or give the declaration a default`;
  }
  if (errorName === 'InvalidRequestException') {
    return 'the secret cannot be read in its current state (marked for deletion?): restore it or check DescribeSecret';
  }
  if (errorName === 'RetryDeadlineError' || errorName === 'TimeoutError') {
    return 'the endpoint kept throttling, failing or not answering until the deadline: check the network and the endpoint, or raise the deadline';
  }
  if (errorName === 'UnrecognizedClientException' || errorName === 'InvalidSignatureException') {
    return 'the credentials are not valid for this endpoint: check the access key and region';
  }
  return undefined;
}
