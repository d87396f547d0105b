import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { CliContext } from './context';

export const DEFAULT_REGION = 'ap-northeast-2';

export interface AwsFlags {
  region?: string;
  endpoint?: string;
}

export function regionOf(ctx: CliContext, flags: AwsFlags): string {
  return flags.region ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
}

/**
 * Clients for the CLI. Without --endpoint the SDK itself honours AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_SECRETS_MANAGER and AWS_ENDPOINT_URL_SSM; credentials come from the standard chain.
 */
export function secretsManagerClient(ctx: CliContext, flags: AwsFlags): SecretsManagerClient {
  return new SecretsManagerClient({ region: regionOf(ctx, flags), endpoint: flags.endpoint });
}

export function ssmClient(ctx: CliContext, flags: AwsFlags): SSMClient {
  return new SSMClient({ region: regionOf(ctx, flags), endpoint: flags.endpoint });
}

/** `Name: message` of an AWS error. AWS messages name actions and ARNs, never values. */
export function describeAwsError(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return message && message !== name ? `${name ?? 'Error'}: ${message}` : (name ?? String(error));
}
