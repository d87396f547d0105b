import type { SecretRecord } from '../store/state';

export interface SecretFilter {
  Key: string;
  Values: string[];
}

/**
 * ListSecrets / BatchGetSecretValue filters: prefix matches, values of one key OR-ed, a value
 * starting with `!` negated, filters AND-ed.
 */
export function matchesFilters(secret: SecretRecord, filters: SecretFilter[] | undefined): boolean {
  return (filters ?? []).every((filter) => {
    const positive = filter.Values.filter((value) => !value.startsWith('!'));
    const negative = filter.Values.filter((value) => value.startsWith('!')).map((value) => value.slice(1));
    const matches = (prefix: string) =>
      fieldValues(secret, filter.Key).some((field) => field.startsWith(prefix));
    return (positive.length === 0 || positive.some(matches)) && !negative.some(matches);
  });
}

function fieldValues(secret: SecretRecord, key: string): string[] {
  const tagKeys = secret.tags.map((tag) => tag.Key);
  const tagValues = secret.tags.map((tag) => tag.Value);
  switch (key) {
    case 'name':
      return [secret.name];
    case 'description':
      return secret.description === undefined ? [] : [secret.description];
    case 'tag-key':
      return tagKeys;
    case 'tag-value':
      return tagValues;
    case 'all':
      return [
        secret.name,
        ...(secret.description === undefined ? [] : [secret.description]),
        ...tagKeys,
        ...tagValues,
      ];
    default:
      return [];
  }
}
