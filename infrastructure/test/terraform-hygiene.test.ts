// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Terraform expressions as @cdktf/hcl2json returns them
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StringList } from '@estate/secrets/catalog';
import { manifests } from './support/manifests';
import { terraformDir } from './support/paths';
import { type Block, blocks, loadTerraform, policyStatements, type Terraform } from './support/terraform';

const SECRET_NAME = /(password|passwd|secret(?!s_?manager)|token|api_?key|private_?key|credential|dsn)/i;
const IDENTIFIER_SUFFIX = /_(arn|arns|id|ids|name|names|group_name)$/i;
const looksSecret = (name: string) => SECRET_NAME.test(name) && !IDENTIFIER_SUFFIX.test(name);

/** Key material or credentials written out, whatever the variable is called. */
const SECRET_VALUE = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(AKIA|ASIA)[A-Z0-9]{16}\b/,
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"]+:[^\s/@"]+@/i,
  /\bsk-[A-Za-z0-9]{20,}/,
];

let tf: Terraform;
beforeAll(async () => {
  tf = await loadTerraform();
});

const tfvars = () =>
  readdirSync(join(terraformDir, 'environments'))
    .filter((name) => name.endsWith('.tfvars'))
    .map((name) => ({ name, text: readFileSync(join(terraformDir, 'environments', name), 'utf8') }));

/** Every statement of every aws_iam_policy_document, with where it is. */
function statements(): { where: string; statement: Block }[] {
  return Object.entries(tf.data('aws_iam_policy_document')).flatMap(([name, document]) =>
    policyStatements(document).map(({ statement }) => ({
      where: `${name}/${statement.sid ?? '?'}`,
      statement,
    })),
  );
}

describe('no secret value in Terraform', () => {
  test('no aws_secretsmanager_secret_version and no secret_string/secret_binary anywhere', () => {
    expect(Object.keys(tf.resources('aws_secretsmanager_secret_version'))).toEqual([]);
    for (const { file, text } of tf.files) {
      expect({ file, hits: text.match(/\bsecret_(string|binary)\b/g) ?? [] }).toEqual({ file, hits: [] });
    }
  });

  test('no variable whose name looks secret has a default', () => {
    const offenders = Object.entries(tf.variables)
      .filter(([name, variable]) => looksSecret(name) && 'default' in variable)
      .map(([name]) => name);
    expect(offenders).toEqual([]);
  });

  test('no .tf or .tfvars file holds key material or a credential URL', () => {
    const sources = [...tf.files.map(({ file, text }) => ({ name: file, text })), ...tfvars()];
    for (const { name, text } of sources) {
      const hits = SECRET_VALUE.filter((pattern) => pattern.test(text)).map(String);
      expect({ name, hits }).toEqual({ name, hits: [] });
    }
  });

  test('the tfvars examples set only declared, non-secret variables', () => {
    const files = tfvars();
    expect(files.map((f) => f.name).sort()).toEqual(['production.tfvars', 'staging.tfvars']);
    for (const { name, text } of files) {
      const keys = [...text.matchAll(/^\s*([a-z_][a-z0-9_]*)\s*=/gim)].map((m) => m[1]!);
      expect({ name, undeclared: keys.filter((key) => !(key in tf.variables)) }).toEqual({
        name,
        undeclared: [],
      });
      expect({ name, secretLooking: keys.filter(looksSecret) }).toEqual({ name, secretLooking: [] });
    }
  });

  test('the database password is AWS-managed, not typed', () => {
    const database = tf.resources('aws_db_instance').this!;
    expect(database.manage_master_user_password).toBe(true);
    expect(database).not.toHaveProperty('password');
    expect(database.master_user_secret_kms_key_id).toBe('${aws_kms_key.secrets.key_id}');
  });
});

describe('secrets: customer-managed key, recovery window, guard policy, replica', () => {
  test('every aws_secretsmanager_secret has the customer-managed kms_key_id and the recovery window variable', () => {
    const secrets = tf.resources('aws_secretsmanager_secret');
    expect(Object.keys(secrets).length).toBeGreaterThan(0);
    for (const [name, secret] of Object.entries(secrets)) {
      expect({ name, kms_key_id: secret.kms_key_id }).toEqual({
        name,
        kms_key_id: '${aws_kms_key.secrets.arn}',
      });
      expect(secret.recovery_window_in_days).toBe('${var.recovery_window_in_days}');
    }
    expect(tf.variables.recovery_window_in_days?.default).toBe(30);
    expect(tfvars().find((f) => f.name === 'staging.tfvars')?.text).toMatch(
      /^recovery_window_in_days\s*=\s*7$/m,
    );
  });

  test('the replica block exists only when replica_region is set', () => {
    const secret = tf.resources('aws_secretsmanager_secret').this!;
    const dynamic = (secret.dynamic as Record<string, Block[]> | undefined)?.replica?.[0];
    expect(dynamic?.for_each).toBe('${var.replica_region == null ? [] : [var.replica_region]}');
    expect(tf.variables.replica_region?.default).toBeNull();
  });

  test('the KMS key rotates and the services may decrypt only through Secrets Manager', () => {
    const key = tf.resources('aws_kms_key').secrets!;
    expect(key.enable_key_rotation).toBe(true);
    const keyPolicy = blocks(tf.data('aws_iam_policy_document').kms_key!, 'statement');
    const services = keyPolicy.find((s) => s.sid === 'ServicesDecryptThroughSecretsManager')!;
    expect(services.actions).toEqual(['kms:Decrypt']);
    expect(blocks(services, 'condition')[0]).toMatchObject({
      test: 'StringEquals',
      variable: 'kms:ViaService',
      values: ['${local.secretsmanager_via}'],
    });
  });

  test('services with a runtime prefix may generate data keys only through Secrets Manager, for those secrets', () => {
    const keyPolicy = policyStatements(tf.data('aws_iam_policy_document').kms_key!);
    const runtime = keyPolicy.find(
      ({ statement }) => statement.sid === 'ServicesEncryptRuntimeSecretsThroughSecretsManager',
    );
    expect(runtime?.statement.actions).toEqual(['kms:GenerateDataKey']);
    expect(runtime?.forEach).toBe('${length(local.runtime_secret_arns) > 0 ? ["runtime"] : []}');
    expect(blocks(runtime!.statement, 'condition')).toEqual([
      { test: 'StringEquals', variable: 'kms:ViaService', values: ['${local.secretsmanager_via}'] },
      {
        test: 'StringLike',
        variable: 'kms:EncryptionContext:SecretARN',
        values: '${local.runtime_secret_arns}',
      },
    ]);
  });

  test('each secret has a resource policy denying DeleteSecret and PutResourcePolicy to all but the admin role', () => {
    const policy = tf.resources('aws_secretsmanager_secret_policy').this!;
    expect(policy.for_each).toBe('${toset(local.secret_groups)}');
    expect(policy.block_public_policy).toBe(true);
    const [deny] = blocks(tf.data('aws_iam_policy_document').secret_guard!, 'statement');
    expect(deny?.effect).toBe('Deny');
    expect(deny?.actions).toEqual(
      expect.arrayContaining(['secretsmanager:DeleteSecret', 'secretsmanager:PutResourcePolicy']),
    );
    expect(blocks(deny!, 'principals')[0]).toEqual({ type: '*', identifiers: ['*'] });
    expect(blocks(deny!, 'condition')[0]).toEqual({
      test: 'ArnNotEquals',
      variable: 'aws:PrincipalArn',
      values: ['${var.admin_role_arn}'],
    });
  });
});

describe('least privilege', () => {
  // Actions with no resource type in the Service Authorization Reference: "*" is their only
  // resource. BatchGetSecretValue reads nothing without GetSecretValue per secret; ListSecrets
  // (RuntimeSecretStore.list) reveals names and metadata, never values. Each stands alone in its
  // statement, so no other action rides along on "*".
  const RESOURCELESS = {
    BatchReadSecrets: 'secretsmanager:BatchGetSecretValue',
    ListRuntimeSecrets: 'secretsmanager:ListSecrets',
  } as Record<string, string>;

  test('no Allow statement grants a Secrets Manager or SSM action on "*" (BatchGetSecretValue and ListSecrets alone excepted: they have no resource type)', () => {
    const offenders = statements()
      .filter(({ statement }) => (statement.effect ?? 'Allow') === 'Allow')
      .filter(({ statement }) => {
        const actions = (statement.actions as string[] | undefined) ?? [];
        const resources = Array.isArray(statement.resources) ? (statement.resources as string[]) : [];
        const touchesSecrets = actions.some((a) => /^(secretsmanager|ssm):/.test(a));
        const documented =
          actions.length === 1 &&
          RESOURCELESS[String(statement.sid)] === actions[0] &&
          resources.length === 1;
        return touchesSecrets && resources.includes('*') && !documented;
      })
      .map(({ where }) => where);
    expect(offenders).toEqual([]);
  });

  test('ListSecrets on "*" is granted only to services that declare a runtime prefix', () => {
    const document = tf.data('aws_iam_policy_document').service_secrets!;
    const list = policyStatements(document).filter(({ statement }) =>
      ((statement.actions as string[] | undefined) ?? []).includes('secretsmanager:ListSecrets'),
    );
    expect(list).toHaveLength(1);
    expect(list[0]?.forEach).toBe(
      '${length(local.service_runtime_prefixes[each.key]) > 0 ? ["runtime"] : []}',
    );
    const withPrefixes = manifests
      .filter((m) => Object.keys(m.runtime ?? {}).length > 0)
      .map((m) => m.service);
    expect(withPrefixes).toEqual(['backend']);
  });

  test('every policy is an aws_iam_policy_document (so the check above sees all of them)', () => {
    for (const { file, text } of tf.files) {
      expect({ file, jsonencodedPolicies: /jsonencode\(\s*\{[^}]*Statement/s.test(text) }).toEqual({
        file,
        jsonencodedPolicies: false,
      });
    }
  });

  test('no wildcard over estate/* or /estate/* anywhere (comments aside), except a declared runtime prefix', () => {
    // The one allowed form: a runtime prefix from local.service_runtime_prefixes, whose entries the
    // manifests' runtimeSecrets() validate (path segments, no "*") and terraform-iam checks.
    const runtimePrefix = '\u0024{var.environment}/\u0024{prefix}/*';
    for (const { file, text } of tf.files) {
      const code = text
        .split('\n')
        .filter((line) => !/^\s*(#|\/\/)/.test(line))
        .join('\n');
      const hits = (code.match(/\/?estate\/[^"\s]*\*/g) ?? []).filter(
        (hit) => hit !== `estate/${runtimePrefix}`,
      );
      expect({ file, hits }).toEqual({ file, hits: [] });
    }
    for (const prefixes of Object.values(tf.locals.service_runtime_prefixes as Record<string, string[]>))
      for (const prefix of prefixes) expect(prefix).toMatch(/^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)*$/);
  });

  test('nothing is attached to a node group: policies go to the roles defined here only', () => {
    expect(Object.keys(tf.resources('aws_eks_node_group'))).toEqual([]);
    const targets = [
      ...Object.values(tf.resources('aws_iam_role_policy')).map((p) => String(p.role)),
      ...Object.values(tf.resources('aws_iam_role_policy_attachment')).map((p) => String(p.role)),
    ];
    for (const role of targets)
      expect(role).toMatch(/^\$\{aws_iam_role\.(service\[each\.key\]|rotator)\.(id|name)\}$/);
  });
});

describe('SSM parameters', () => {
  test('one parameter per manifest parameter, with the manifest default and String/StringList type', () => {
    const expected: Record<string, { type: string; value: string }> = {};
    for (const manifest of manifests) {
      for (const declaration of Object.values(manifest.parameters)) {
        expected[declaration.name] = {
          type: declaration.schema === StringList ? 'StringList' : 'String',
          value: String(declaration.default),
        };
      }
    }
    expect(tf.locals.parameters).toEqual(expected);
  });

  test('operators own the values after creation (ignore_changes = [value])', () => {
    const parameter = tf.resources('aws_ssm_parameter').config!;
    expect(parameter.name).toBe('/estate/${var.environment}/${each.key}');
    expect(blocks(parameter, 'lifecycle')[0]?.ignore_changes).toEqual(['${value}']);
  });
});

describe('rotation and alarms', () => {
  test('the rotation Lambda is built from apps/secrets-rotator and Secrets Manager may invoke it', () => {
    expect(tf.variables.rotator_dist_dir?.default).toBe('../../apps/secrets-rotator/dist');
    const permission = tf.resources('aws_lambda_permission').secretsmanager!;
    expect(permission).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 'secretsmanager.amazonaws.com',
    });
  });

  test('AccessDenied on Secrets Manager is counted from CloudTrail and alarmed', () => {
    const filter = tf.resources('aws_cloudwatch_log_metric_filter').access_denied!;
    expect(filter.pattern).toBe(
      '{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.errorCode = "AccessDenied*") }',
    );
    expect(tf.resources('aws_cloudwatch_metric_alarm').access_denied?.metric_name).toBe(
      '${aws_cloudwatch_log_metric_filter.access_denied.metric_transformation[0].name}',
    );
  });

  test('rotation failures alarm (Lambda errors and RotationFailed events)', () => {
    const alarms = tf.resources('aws_cloudwatch_metric_alarm');
    expect(alarms.rotator_errors).toMatchObject({ namespace: 'AWS/Lambda', metric_name: 'Errors' });
    expect(tf.resources('aws_cloudwatch_log_metric_filter').rotation_failed?.pattern).toContain(
      'RotationFailed',
    );
    expect(alarms.rotation_failed).toBeDefined();
  });
});
