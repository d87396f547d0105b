import {
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { MIN_SCRUB_LENGTH, type SensitiveValue, sensitiveValues } from '@estate/secrets';
import { catalog } from '@estate/secrets/catalog';

/**
 * Every sensitive value of every version of every secret in the endpoint: the catalog groups with
 * their schemas (fields marked notSecret, such as hosts and user names, are left out, as the leak
 * guard leaves them), runtime-managed secrets such as `estate/dev/orgs/*` with every string field,
 * and every version Secrets Manager still lists (AWSCURRENT, AWSPREVIOUS, and the deprecated ones a
 * rotation left behind). Labels name the secret, the version and the field, never the value.
 */
export async function endpointSecretValues(client: SecretsManagerClient): Promise<SensitiveValue[]> {
  const values: SensitiveValue[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListSecretsCommand({ MaxResults: 100, NextToken: nextToken }));
    for (const { Name: name } of page.SecretList ?? []) {
      if (!name) continue;
      const group = name.split('/')[2] as keyof typeof catalog;
      const schema = name.split('/').length === 3 ? catalog[group]?.schema : undefined;
      for (const versionId of await versionIds(client, name)) {
        const got = await client.send(new GetSecretValueCommand({ SecretId: name, VersionId: versionId }));
        const label = `${name}@${versionId.slice(0, 8)}`;
        const parsed = got.SecretString === undefined ? got.SecretBinary : parseJson(got.SecretString);
        values.push(...sensitiveValues(schema, parsed, label));
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return values.filter(({ value }) => value.length >= MIN_SCRUB_LENGTH);
}

async function versionIds(client: SecretsManagerClient, name: string): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, NextToken: nextToken }),
    );
    for (const version of page.Versions ?? []) if (version.VersionId) ids.push(version.VersionId);
    nextToken = page.NextToken;
  } while (nextToken);
  return ids;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The labels of the values found in any of the texts, raw or JSON-escaped (a log line is JSON),
 * each with where it was first seen (the text's index and its first 40 characters before the hit,
 * which cannot hold the value).
 */
export function findLeaks(values: readonly SensitiveValue[], texts: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const { label, value } of values) {
    const forms = new Set([value, JSON.stringify(value).slice(1, -1)]);
    for (const [index, text] of texts.entries()) {
      const at = Math.max(...[...forms].map((form) => text.indexOf(form)));
      if (at >= 0) {
        leaks.push(`${label} in text ${index}, after "${text.slice(Math.max(0, at - 40), at)}"`);
        break;
      }
    }
  }
  return leaks;
}
