import type { IamStatement } from '@estate/secrets/policy';
import { parameterArn, secretArnPattern } from '@estate/secrets/policy';
import { type Block, blocks, localListMap, policyStatements, type Terraform } from './terraform';

export interface RenderContext {
  env: string;
  region: string;
  accountId: string;
  kmsKeyArn: string;
}

/**
 * Evaluates the few expression forms iam.tf's service policy uses, the way Terraform would, so the
 * policy can be compared with `iamPolicyFor`. An expression it does not know fails loudly: extend
 * this renderer when iam.tf grows a new form, rather than weakening the comparison.
 */
export function renderServicePolicy(tf: Terraform, service: string, ctx: RenderContext): IamStatement[] {
  const document = tf.data('aws_iam_policy_document').service_secrets;
  if (!document) throw new Error('iam.tf: data "aws_iam_policy_document" "service_secrets" is missing');
  return policyStatements(document).flatMap(({ statement, forEach }) => {
    if (forEach !== undefined && !dynamicIncluded(tf, service, forEach)) return [];
    const sid = String(statement.sid);
    const rendered: IamStatement = {
      Sid: sid,
      Effect: (statement.effect ?? 'Allow') as 'Allow',
      Action: statement.actions as string[],
      Resource: renderList(tf, service, ctx, statement.resources, `statement ${sid} resources`),
    };
    const conditions = blocks(statement, 'condition');
    if (conditions.length > 0) {
      rendered.Condition = {};
      for (const condition of conditions) {
        const test = String(condition.test);
        rendered.Condition[test] ??= {};
        rendered.Condition[test][template(String(condition.variable), ctx, service)] = renderList(
          tf,
          service,
          ctx,
          condition.values,
          `statement ${sid} condition values`,
        );
      }
    }
    return [rendered];
  });
}

const WHEN_LOCAL_LIST_NOT_EMPTY = /^\$\{length\(local\.(\w+)\[each\.key\]\) > 0 \? \[[^\]]+\] : \[\]\}$/;

/** Whether a `dynamic "statement"` yields its statement for this service (one known form only). */
function dynamicIncluded(tf: Terraform, service: string, forEach: string): boolean {
  const match = WHEN_LOCAL_LIST_NOT_EMPTY.exec(forEach);
  if (!match) throw new Error(`iam.tf: dynamic statement for_each: cannot evaluate ${forEach}`);
  return (localListMap(tf, match[1]!)[service] ?? []).length > 0;
}

/** `[for prefix in local.<map>[each.key] : "...${prefix}..."]`: a string template per list item. */
const FOR_STRINGS = /^\$\{\[for (\w+) in local\.(\w+)\[each\.key\] : "([^"]*)"\]\}$/;
const FOR_ARNS = /^\$\{\[for (\w+) in local\.(\w+)\[each\.key\] : (aws_[a-z0-9_]+)\.(\w+)\[(\w+)\]\.arn\]\}$/;

function renderList(
  tf: Terraform,
  service: string,
  ctx: RenderContext,
  value: unknown,
  where: string,
): string[] {
  if (Array.isArray(value)) return value.map((item) => template(String(item), ctx, service));
  const text = String(value);
  const strings = FOR_STRINGS.exec(text);
  if (strings) {
    const [, variable, local, body] = strings as unknown as [string, string, string, string];
    return (localListMap(tf, local)[service] ?? []).map((item) =>
      template(body.split(`\${${variable}}`).join(item), ctx, service),
    );
  }
  const loop = FOR_ARNS.exec(text);
  if (!loop || loop[1] !== loop[5]) throw new Error(`iam.tf: ${where}: cannot evaluate ${text}`);
  const [, , local, type, name] = loop as unknown as [string, string, string, string, string];
  const items = localListMap(tf, local)[service] ?? [];
  return items.map((item) => resourceArn(tf, type, name, item, ctx));
}

/** The ARN of `<type>.<name>[key]`, from that resource's `name` argument. */
function resourceArn(tf: Terraform, type: string, name: string, key: string, ctx: RenderContext): string {
  const resource: Block | undefined = tf.resources(type)[name];
  if (!resource) throw new Error(`iam.tf references ${type}.${name}, which no .tf file defines`);
  const resourceName = template(String(resource.name), ctx, key);
  if (type === 'aws_secretsmanager_secret') {
    // The real ARN ends in -XXXXXX (six random characters): exactly what the pattern's ?????? matches.
    return secretArnPattern(ctx.region, ctx.accountId, resourceName);
  }
  if (type === 'aws_ssm_parameter') return parameterArn(ctx.region, ctx.accountId, resourceName);
  throw new Error(`iam.tf: no ARN rule for ${type}`);
}

/** Substitutes the references a template may hold; anything else is an error. */
export function template(text: string, ctx: RenderContext, eachKey: string): string {
  const known: Record<string, string> = {
    'var.environment': ctx.env,
    'var.region': ctx.region,
    'data.aws_caller_identity.current.account_id': ctx.accountId,
    'data.aws_partition.current.partition': 'aws',
    'aws_kms_key.secrets.arn': ctx.kmsKeyArn,
    'each.key': eachKey,
  };
  return text.replace(/\$\{([^}]+)\}/g, (_, reference: string) => {
    const value = known[reference.trim()];
    if (value === undefined) throw new Error(`cannot evaluate \${${reference}} in "${text}"`);
    return value;
  });
}
