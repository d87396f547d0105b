import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { settingsFromEnvironment } from './config';
import { jsonLineLogger } from './logger';
import { rotate } from './rotate';
import type { RotationEvent } from './types';

// The Lambda's edge: region, credentials and endpoint come from the function's environment (the
// SDK honours AWS_ENDPOINT_URL_SECRETS_MANAGER); settings from the variables rotation.tf sets.
// Built once per container and reused by warm invocations.
const client = new SecretsManagerClient({});
const settings = settingsFromEnvironment(process.env);
const logger = jsonLineLogger();

/** `lambda.handler` (infrastructure/terraform/rotation.tf): one rotation step per invocation. */
export async function handler(event: RotationEvent): Promise<void> {
  logger.info(
    { secretId: event.SecretId, versionId: event.ClientRequestToken, step: event.Step },
    'rotation step',
  );
  try {
    await rotate(event, { client, ...settings, logger });
  } catch (error) {
    // Our errors and AWS's carry names and ids, never values. Rethrown so Secrets Manager sees the failure.
    const { name, message } = error as Error;
    logger.warn({ secretId: event.SecretId, step: event.Step, error: name, message }, 'rotation step failed');
    throw error;
  }
}
