import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { RetryPolicy } from '../retry';
import type { ApiCallObserver } from './observer';
import { SecretsManagerReader } from './secrets-manager';
import type { FetchContext, SecretRequest, SecretSource } from './source';
import { ParameterReader } from './ssm';

/** AwsCredentialIdentity | AwsCredentialIdentityProvider, as the SDK clients take them. */
export type AwsCredentials = NonNullable<SecretsManagerClientConfig['credentials']>;

export interface AwsSourceOptions {
  region?: string;
  /** Both services; without it the SDK honours AWS_ENDPOINT_URL(_SECRETS_MANAGER|_SSM) itself. */
  endpoint?: string;
  credentials?: AwsCredentials;
  /** Clients built by the app are used as they are (their own retry settings included). */
  secretsManager?: SecretsManagerClient;
  ssm?: SSMClient;
  /** Upper bound of one HTTP request; each attempt is also aborted at the overall deadline. */
  requestTimeoutMs: number;
  retry: RetryPolicy;
  onApiCall: ApiCallObserver;
}

/**
 * Secrets Manager + SSM through the AWS SDK v3. Clients are created with maxAttempts: 1: the SDK's
 * own retries (3 attempts by default) would multiply ours and could outlast the startup deadline.
 */
export class AwsSource implements SecretSource {
  readonly kind = 'aws';
  private readonly secrets: SecretsManagerReader;
  private readonly parameters: ParameterReader;
  private readonly owned: Array<{ destroy(): void }> = [];

  constructor(private readonly options: AwsSourceOptions) {
    const config = {
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts: 1,
      requestHandler: {
        requestTimeout: options.requestTimeoutMs,
        connectionTimeout: options.requestTimeoutMs,
      },
    };
    const secretsManager = options.secretsManager ?? this.own(new SecretsManagerClient(config));
    const ssm = options.ssm ?? this.own(new SSMClient(config));
    this.secrets = new SecretsManagerReader(secretsManager, options.retry, options.onApiCall);
    this.parameters = new ParameterReader(ssm, options.retry, options.onApiCall);
  }

  describe(): string {
    const where = [
      this.options.region ? `region ${this.options.region}` : undefined,
      this.options.endpoint ? `endpoint ${this.options.endpoint}` : undefined,
      this.options.secretsManager ? 'client given by the app' : undefined,
    ].filter(Boolean);
    return where.length > 0 ? `aws (${where.join(', ')})` : 'aws (SDK default endpoint and region)';
  }

  getSecrets(requests: readonly SecretRequest[], context: FetchContext) {
    return this.secrets.getSecrets(requests, context);
  }

  getParameters(names: readonly string[], context: FetchContext) {
    return this.parameters.getParameters(names, context);
  }

  close(): void {
    for (const client of this.owned.splice(0)) client.destroy();
  }

  private own<T extends { destroy(): void }>(client: T): T {
    this.owned.push(client);
    return client;
  }
}
