import type { ServiceManifest } from '../manifest';
import { type Environment, resolveNames } from '../manifest';
import {
  assertAccountId,
  assertRegion,
  parameterArn,
  runtimeSecretArnPattern,
  secretArnPattern,
} from './arns';

export interface IamPolicyOptions {
  env: Environment;
  region: string;
  accountId: string;
  /** The customer-managed key the secrets are encrypted with; without it kms:Decrypt is on "*" (still service-bound). */
  kmsKeyArn?: string;
  /** The service reads SecureString parameters: KMS may then also be used through SSM. */
  secureStringParameters?: boolean;
}

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/** Stable statement ids, so Terraform plans and reviews diff by name. */
export const STATEMENT_IDS = {
  secrets: 'ReadDeclaredSecrets',
  batch: 'BatchReadSecrets',
  parameters: 'ReadDeclaredParameters',
  kms: 'DecryptThroughSecretsServices',
  runtime: 'ManageRuntimeSecrets',
  runtimeList: 'ListRuntimeSecrets',
  runtimeKms: 'EncryptRuntimeSecretsThroughSecretsManager',
} as const;

/**
 * Exactly what RuntimeSecretStore calls on a runtime-managed secret (put: PutSecretValue, then
 * CreateSecret when missing, TagResource for tags; get; describe; delete). CreateSecret with Tags
 * also needs TagResource. UpdateSecret, RestoreSecret, rotation and resource policies stay out.
 */
export const RUNTIME_SECRET_ACTIONS = [
  'secretsmanager:CreateSecret',
  'secretsmanager:PutSecretValue',
  'secretsmanager:GetSecretValue',
  'secretsmanager:DescribeSecret',
  'secretsmanager:DeleteSecret',
  'secretsmanager:TagResource',
] as const;

/**
 * The least-privilege identity policy for one service in one environment, derived from its
 * manifest: exactly its secrets (optional groups included, since the service reads them when
 * present), exactly its parameters, and its declared runtime prefixes. No wildcard over
 * `estate/*` or `estate/{env}/*`: a runtime prefix grants `estate/{env}/{prefix}/*` only.
 */
export function iamPolicyFor(manifest: ServiceManifest, options: IamPolicyOptions): IamPolicyDocument {
  const { env, region, accountId } = options;
  assertRegion(region);
  assertAccountId(accountId);
  const names = resolveNames(manifest, env);
  const statements: IamStatement[] = [];

  if (names.secrets.length > 0) {
    statements.push({
      Sid: STATEMENT_IDS.secrets,
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: names.secrets.map((s) => secretArnPattern(region, accountId, s.name)),
    });
    // BatchGetSecretValue has no resource type in the Service Authorization Reference, so it can
    // only be granted on "*". That grants no secret by itself: AWS also checks
    // secretsmanager:GetSecretValue on every secret in the batch (the statement above), and a batch
    // by Filters would need secretsmanager:ListSecrets, which is not granted.
    statements.push({
      Sid: STATEMENT_IDS.batch,
      Effect: 'Allow',
      Action: ['secretsmanager:BatchGetSecretValue'],
      Resource: '*',
    });
  }

  if (names.parameters.length > 0) {
    // GetParametersByPath is left out on purpose: it is authorized against the path, not the
    // parameters it returns, so granting it would expose every parameter under the path.
    statements.push({
      Sid: STATEMENT_IDS.parameters,
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters'],
      Resource: names.parameters.map((p) => parameterArn(region, accountId, p.name)),
    });
  }

  if (names.runtime.length > 0) statements.push(...runtimeStatements(names.runtime, options));

  const viaServices = [`secretsmanager.${region}.amazonaws.com`];
  if (options.secureStringParameters && names.parameters.length > 0)
    viaServices.push(`ssm.${region}.amazonaws.com`);
  if (names.secrets.length > 0 || names.runtime.length > 0 || options.secureStringParameters) {
    statements.push({
      Sid: STATEMENT_IDS.kms,
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: options.kmsKeyArn ?? '*',
      // Decrypt only on behalf of Secrets Manager (and SSM): the role cannot decrypt arbitrary
      // ciphertext with the key directly.
      Condition: {
        StringEquals: { 'kms:ViaService': viaServices.length === 1 ? viaServices[0]! : viaServices },
      },
    });
  }

  return { Version: '2012-10-17', Statement: statements };
}

function runtimeStatements(runtime: readonly { name: string }[], options: IamPolicyOptions): IamStatement[] {
  const { region, accountId } = options;
  const arns = runtime.map((r) => runtimeSecretArnPattern(region, accountId, r.name));
  return [
    {
      Sid: STATEMENT_IDS.runtime,
      Effect: 'Allow',
      Action: [...RUNTIME_SECRET_ACTIONS],
      Resource: arns,
    },
    // RuntimeSecretStore.list (an organization's integrations) needs ListSecrets, which has no
    // resource type and can only be granted on "*". It reveals the names and metadata (tags,
    // dates, description) of every secret in the account and region, never a value: values stay
    // behind GetSecretValue on the declared ARNs above.
    {
      Sid: STATEMENT_IDS.runtimeList,
      Effect: 'Allow',
      Action: ['secretsmanager:ListSecrets'],
      Resource: '*',
    },
    // Every new value (CreateSecret, PutSecretValue) is encrypted under a fresh data key from
    // KMS; Secrets Manager passes the secret's ARN as encryption context, so the grant is bound
    // to the runtime prefixes and to calls made through Secrets Manager.
    {
      Sid: STATEMENT_IDS.runtimeKms,
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey'],
      Resource: options.kmsKeyArn ?? '*',
      Condition: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:SecretARN': arns.length === 1 ? arns[0]! : arns },
      },
    },
  ];
}
