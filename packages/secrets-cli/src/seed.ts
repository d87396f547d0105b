import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { type Environment, parameterName, secretName } from '@estate/secrets';
import { type CatalogEntry, type CatalogGroup, catalog, catalogGroups } from '@estate/secrets/catalog';
import { parse as parseDotenv } from 'dotenv';
import { AWS_OPTIONS, envFlag, parseCommand } from './args';
import { describeAwsError, secretsManagerClient, ssmClient } from './aws';
import { type CliContext, EXIT, UsageError } from './context';
import { loadAllManifests } from './manifests';
import { formatTable } from './table';

type Action = 'created' | 'unchanged' | 'updated' | 'skipped' | 'FAIL';

interface SeedRow {
  name: string;
  action: Action;
  versionId?: string;
  note?: string;
}

/** The env source's variable for a group: ESTATE_SECRET_<GROUP>, a JSON object. */
export function envVariableOf(group: string): string {
  return `ESTATE_SECRET_${group.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * `seed`: creates the catalog's secrets. Development values are generated once (an existing valid
 * secret is left alone); with --from, values come from a .env file and are written only when they
 * differ. Values are never printed.
 */
export async function seedCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommand('seed', args, {
    ...AWS_OPTIONS,
    env: { type: 'string' },
    from: { type: 'string' },
    'force-regenerate': { type: 'boolean' },
    parameters: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const env = envFlag('seed', values.env);
  if (env !== 'dev' && !values.from) {
    throw new UsageError(`seed: --env ${env} needs --from <file>; generated keys are for dev only`);
  }
  if (values.from && values['force-regenerate']) {
    throw new UsageError('seed: --force-regenerate generates values; it cannot be combined with --from');
  }
  const fromFile = values.from ? readEnvFile(ctx, values.from) : undefined;
  const manifests = values.parameters ? loadAllManifests(ctx.cwd, 'seed') : [];

  const client = secretsManagerClient(ctx, values);
  const rows: SeedRow[] = [];
  try {
    for (const group of catalogGroups) {
      rows.push(
        await seedGroup(client, env, group, {
          fromFile,
          forceRegenerate: values['force-regenerate'] ?? false,
        }),
      );
    }
  } finally {
    client.destroy();
  }

  if (values.parameters) {
    const ssm = ssmClient(ctx, values);
    try {
      const seen = new Set<string>();
      for (const manifest of manifests) {
        for (const declaration of Object.values(manifest.parameters)) {
          const name = parameterName(env, declaration.name);
          if (seen.has(name) || !declaration.hasDefault) continue;
          seen.add(name);
          rows.push(await seedParameter(ssm, name, String(declaration.default)));
        }
      }
    } finally {
      ssm.destroy();
    }
  }

  if (values.json) ctx.out(`${JSON.stringify(rows)}\n`);
  else {
    ctx.out(
      `${formatTable(
        ['name', 'action', 'version id', 'note'],
        rows.map((r) => [r.name, r.action, r.versionId ?? '-', r.note ?? '']),
      )}\n`,
    );
  }
  return rows.some((r) => r.action === 'FAIL') ? EXIT.failed : EXIT.ok;
}

function readEnvFile(ctx: CliContext, file: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(resolve(ctx.cwd, file)));
  } catch (error) {
    throw new UsageError(
      `seed: --from ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

async function seedGroup(
  client: SecretsManagerClient,
  env: Environment,
  group: CatalogGroup,
  options: { fromFile: Record<string, string> | undefined; forceRegenerate: boolean },
): Promise<SeedRow> {
  const name = secretName(env, group);
  const entry: CatalogEntry = catalog[group];
  let desired: Record<string, unknown> | undefined;
  if (options.fromFile) {
    const variable = envVariableOf(group);
    const raw = options.fromFile[variable];
    if (raw === undefined) return { name, action: 'skipped', note: `${variable} not in the file` };
    const parsed = parseValue(entry, raw);
    if ('problem' in parsed) return { name, action: 'FAIL', note: `${variable}: ${parsed.problem}` };
    desired = parsed.value;
  }
  if (!options.fromFile && !entry.dev)
    return { name, action: 'skipped', note: 'no dev value (set it with --from)' };

  let current: { value: string | undefined; versionId: string | undefined } | undefined;
  try {
    const got = await client.send(new GetSecretValueCommand({ SecretId: name }));
    current = { value: got.SecretString, versionId: got.VersionId };
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') {
      return { name, action: 'FAIL', note: describeAwsError(error) };
    }
  }

  if (!desired) {
    const existing = current?.value === undefined ? undefined : parseValue(entry, current.value);
    if (current && existing && 'value' in existing && !options.forceRegenerate) {
      return { name, action: 'unchanged', versionId: current.versionId };
    }
    if (current && existing && 'problem' in existing && !options.forceRegenerate) {
      return {
        name,
        action: 'FAIL',
        versionId: current.versionId,
        note: `${existing.problem} (hint: --force-regenerate)`,
      };
    }
    const generated = entry.dev!() as Record<string, unknown>;
    if (!entry.schema.safeParse(generated).success) {
      return { name, action: 'FAIL', note: 'the catalog dev value fails its own schema' };
    }
    desired = generated;
  }

  const secretString = JSON.stringify(desired);
  try {
    if (!current) {
      const created = await client.send(
        new CreateSecretCommand({ Name: name, SecretString: secretString, Description: entry.description }),
      );
      return { name, action: 'created', versionId: created.VersionId };
    }
    if (options.fromFile && current.value !== undefined && sameJson(current.value, secretString)) {
      return { name, action: 'unchanged', versionId: current.versionId };
    }
    const put = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: secretString }));
    return { name, action: 'updated', versionId: put.VersionId };
  } catch (error) {
    return { name, action: 'FAIL', note: describeAwsError(error) };
  }
}

/** Parses and validates one value; problems name the field path, never the value. */
function parseValue(
  entry: CatalogEntry,
  raw: string,
): { value: Record<string, unknown> } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { problem: 'is not JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return { problem: 'must be a JSON object' };
  const checked = entry.schema.safeParse(json);
  if (!checked.success) {
    return {
      problem: checked.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; '),
    };
  }
  // Stored as given: the schema's output may strip or default fields, but the file is the source.
  return { value: json as Record<string, unknown> };
}

function sameJson(a: string, b: string): boolean {
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

async function seedParameter(ssm: SSMClient, name: string, value: string): Promise<SeedRow> {
  try {
    const put = await ssm.send(
      new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: false }),
    );
    return { name, action: 'created', versionId: String(put.Version ?? '-') };
  } catch (error) {
    if ((error as { name?: string }).name === 'ParameterAlreadyExists') return { name, action: 'unchanged' };
    return { name, action: 'FAIL', note: describeAwsError(error) };
  }
}
