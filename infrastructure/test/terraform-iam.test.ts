// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Terraform expressions as @cdktf/hcl2json returns them
import { defineSecrets, type Environment, resolveNames, runtimeSecrets, secret } from '@estate/secrets';
import { catalog, catalogGroups, DatabaseSecret } from '@estate/secrets/catalog';
import { type IamStatement, iamPolicyFor, STATEMENT_IDS } from '@estate/secrets/policy';
import { renderServicePolicy, template } from './support/iam-render';
import { manifests } from './support/manifests';
import { accessDrift } from './support/service-access';
import { blocks, loadTerraform, localListMap, type Terraform } from './support/terraform';

const region = 'ap-northeast-2';
const accountId = '111122223333';
const kmsKeyArn = `arn:aws:kms:${region}:${accountId}:key/00000000-0000-0000-0000-000000000000`;
const environments: Environment[] = ['staging', 'production'];

let tf: Terraform;
beforeAll(async () => {
  tf = await loadTerraform();
});

const terraformAccess = () => ({
  secrets: localListMap(tf, 'service_secrets'),
  parameters: localListMap(tf, 'service_parameters'),
  runtime: localListMap(tf, 'service_runtime_prefixes'),
});

/** Order-free form of a statement list, for comparing Terraform's policy with iamPolicyFor's. */
function normalized(statements: IamStatement[]) {
  const list = (value: string | string[]) => (Array.isArray(value) ? [...value] : [value]).sort();
  return statements
    .map((s) => ({
      Sid: s.Sid,
      Effect: s.Effect,
      Action: list(s.Action),
      Resource: list(s.Resource),
      Condition: Object.fromEntries(
        Object.entries(s.Condition ?? {}).map(([test, keys]) => [
          test,
          Object.fromEntries(Object.entries(keys).map(([key, value]) => [key, list(value)])),
        ]),
      ),
    }))
    .sort((a, b) => a.Sid.localeCompare(b.Sid));
}

describe('Terraform grants each service exactly what its manifest declares', () => {
  test('services.tf agrees with every manifest (secret groups, parameters and runtime prefixes)', () => {
    expect(accessDrift(manifests, terraformAccess())).toEqual([]);
  });

  test('a group added to a manifest but not to Terraform is reported with the service and the group', () => {
    const backend = manifests.find((m) => m.service === 'backend')!;
    const drifted = defineSecrets({
      service: 'backend',
      secrets: { ...backend.secrets, billing: secret('billing', DatabaseSecret) },
      parameters: backend.parameters,
      runtime: backend.runtime,
    });
    const others = manifests.filter((m) => m.service !== 'backend');
    const baseline = accessDrift(manifests, terraformAccess());
    const problems = accessDrift([drifted, ...others], terraformAccess()).filter(
      (p) => !baseline.includes(p),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('backend');
    expect(problems[0]).toContain('"billing"');
  });

  test('a runtime prefix added to a manifest, or granted by Terraform alone, is reported with the service and the prefix', () => {
    const backend = manifests.find((m) => m.service === 'backend')!;
    const drifted = defineSecrets({
      service: 'backend',
      secrets: backend.secrets,
      parameters: backend.parameters,
      runtime: { ...backend.runtime, tenants: runtimeSecrets('tenants') },
    });
    const others = manifests.filter((m) => m.service !== 'backend');
    const added = accessDrift([drifted, ...others], terraformAccess());
    expect(added).toEqual([
      expect.stringMatching(/^backend: manifest declares runtime prefix "tenants".*service_runtime_prefixes/),
    ]);

    const access = terraformAccess();
    const widened = { ...access, runtime: { ...access.runtime, etl: ['orgs'] } };
    expect(accessDrift(manifests, widened)).toEqual([
      expect.stringMatching(
        /^etl: Terraform grants runtime prefix "orgs" that its manifest does not declare/,
      ),
    ]);
  });

  test.each(environments)(
    'the runtime-managed ARNs Terraform grants in %s are exactly estate/{env}/{prefix}/* of each manifest',
    (env) => {
      for (const manifest of manifests) {
        const rendered = renderServicePolicy(tf, manifest.service, { env, region, accountId, kmsKeyArn });
        const manage = rendered.find((s) => s.Sid === STATEMENT_IDS.runtime);
        const expected = resolveNames(manifest, env).runtime.map(
          (r) => `arn:aws:secretsmanager:${region}:${accountId}:secret:${r.name}*`,
        );
        expect({ service: manifest.service, resources: manage?.Resource ?? [] }).toEqual({
          service: manifest.service,
          resources: expected,
        });
      }
      const backend = renderServicePolicy(tf, 'backend', { env, region, accountId, kmsKeyArn });
      expect(backend.find((s) => s.Sid === STATEMENT_IDS.runtime)?.Resource).toEqual([
        `arn:aws:secretsmanager:${region}:${accountId}:secret:estate/${env}/orgs/*`,
      ]);
    },
  );

  test('a service missing from Terraform, or a grant no manifest declares, is reported too', () => {
    const access = terraformAccess();
    const withoutEtl = {
      secrets: Object.fromEntries(Object.entries(access.secrets).filter(([s]) => s !== 'etl')),
      parameters: { ...access.parameters, etl: [...(access.parameters.etl ?? []), 'config/unused'] },
    };
    const problems = accessDrift(manifests, withoutEtl);
    expect(problems.some((p) => p.startsWith('etl:') && p.includes('service_secrets'))).toBe(true);
    expect(problems.some((p) => p.includes('"config/unused"'))).toBe(true);
  });

  test.each(environments)(
    'the secret and parameter names Terraform creates for each service in %s are resolveNames(manifest)',
    (env) => {
      const secretTemplate = String(tf.resources('aws_secretsmanager_secret').this?.name);
      const parameterTemplate = String(tf.resources('aws_ssm_parameter').config?.name);
      const ctx = { env, region, accountId, kmsKeyArn };
      const access = terraformAccess();
      for (const manifest of manifests) {
        const names = resolveNames(manifest, env);
        const tfSecrets = (access.secrets[manifest.service] ?? []).map((g) =>
          template(secretTemplate, ctx, g),
        );
        const tfParameters = (access.parameters[manifest.service] ?? []).map((p) =>
          template(parameterTemplate, ctx, p),
        );
        expect({ service: manifest.service, secrets: tfSecrets.sort() }).toEqual({
          service: manifest.service,
          secrets: names.secrets.map((s) => s.name).sort(),
        });
        expect({ service: manifest.service, parameters: tfParameters.sort() }).toEqual({
          service: manifest.service,
          parameters: names.parameters.map((p) => p.name).sort(),
        });
      }
    },
  );

  test.each(environments)(
    'each role policy in %s is the one `estate-secrets policy` derives (iamPolicyFor)',
    (env) => {
      for (const manifest of manifests) {
        const rendered = renderServicePolicy(tf, manifest.service, { env, region, accountId, kmsKeyArn });
        const derived = iamPolicyFor(manifest, { env, region, accountId, kmsKeyArn });
        expect({ service: manifest.service, statements: normalized(rendered) }).toEqual({
          service: manifest.service,
          statements: normalized(derived.Statement),
        });
      }
    },
  );

  test('one secret per catalog group, and only those', () => {
    expect([...(tf.locals.secret_groups as string[])].sort()).toEqual([...catalogGroups].sort());
    expect(tf.resources('aws_secretsmanager_secret').this?.for_each).toBe('${toset(local.secret_groups)}');
  });

  test('rotation schedules: database every 30 days, jwt every 180, exactly the catalog groups with a rotation strategy', () => {
    const rotated = Object.entries(catalog)
      .filter(([, entry]) => 'rotation' in entry)
      .map(([group]) => group)
      .sort();
    expect(Object.keys(tf.locals.rotation_days as object).sort()).toEqual(rotated);
    expect(tf.locals.rotation_days).toEqual({ database: 30, jwt: 180 });
    const rotation = tf.resources('aws_secretsmanager_secret_rotation').this!;
    expect(rotation.for_each).toBe('${local.rotation_days}');
    expect(blocks(rotation, 'rotation_rules')[0]?.automatically_after_days).toBe('${each.value}');
  });

  test('each role is assumable only by its own service account in the estate namespace (IRSA)', () => {
    const accounts = tf.locals.service_accounts as Record<string, string>;
    expect(Object.keys(accounts).sort()).toEqual(manifests.map((m) => m.service).sort());
    for (const [service, account] of Object.entries(accounts))
      expect({ service, account }).toEqual({ service, account: service });
    expect(tf.variables.k8s_namespace?.default).toBe('estate');

    const trust = tf.data('aws_iam_policy_document').service_trust!;
    const [statement] = blocks(trust, 'statement');
    expect(statement?.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(blocks(statement!, 'principals')[0]).toEqual({
      type: 'Federated',
      identifiers: ['${var.oidc_provider_arn}'],
    });
    const conditions = Object.fromEntries(blocks(statement!, 'condition').map((c) => [c.variable, c]));
    expect(conditions['${local.oidc_issuer}:sub']).toMatchObject({
      test: 'StringEquals',
      values: ['system:serviceaccount:${var.k8s_namespace}:${each.value}'],
    });
    expect(conditions['${local.oidc_issuer}:aud']).toMatchObject({
      test: 'StringEquals',
      values: ['sts.amazonaws.com'],
    });
    expect(tf.resources('aws_iam_role').service?.assume_role_policy).toBe(
      '${data.aws_iam_policy_document.service_trust[each.key].json}',
    );
  });
});
