import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'dotenv';
import type { FetchContext, ParameterResult, SecretRequest, SecretResult, SecretSource } from '../source';
import { parameterVariable, secretVariable } from './variable-names';

export interface EnvSourceOptions {
  /** The variables the app passes in (usually process.env, read at the app edge). */
  variables: Record<string, string | undefined>;
  /** A .env file, read with dotenv.parse at every fetch so edits are picked up; variables win. */
  dotenvPath?: string;
}

/**
 * Development source: values from variables or a .env file (see variable-names.ts for the rule),
 * validated by the same schemas as AWS values. The version id is the sha256 of the text, so a
 * refresh sees an unchanged value as unchanged. An empty variable counts as missing.
 */
export class EnvSource implements SecretSource {
  readonly kind = 'env';

  constructor(private readonly options: EnvSourceOptions) {}

  describe(): string {
    return this.options.dotenvPath ? `env (variables and ${this.options.dotenvPath})` : 'env (variables)';
  }

  async getSecrets(requests: readonly SecretRequest[], _context: FetchContext): Promise<SecretResult[]> {
    const values = await this.values();
    return requests.map((request): SecretResult => {
      const variable = secretVariable(request.name, request.stage);
      const text = values[variable];
      if (!text) {
        return {
          ok: false,
          name: request.name,
          stage: request.stage,
          failure: {
            errorName: 'MissingVariable',
            message: `${variable} is not set`,
            notFound: true,
            hint: `set ${variable} to the JSON object${this.options.dotenvPath ? ` (or add it to ${this.options.dotenvPath})` : ''}`,
          },
        };
      }
      return {
        ok: true,
        name: request.name,
        stage: request.stage,
        versionId: versionOf(text),
        secretString: text,
      };
    });
  }

  async getParameters(names: readonly string[], _context: FetchContext): Promise<ParameterResult[]> {
    const values = await this.values();
    return names.map((name): ParameterResult => {
      const variable = parameterVariable(name);
      const text = values[variable];
      if (text === undefined || text === '') {
        return {
          ok: false,
          name,
          failure: {
            errorName: 'MissingVariable',
            message: `${variable} is not set`,
            notFound: true,
            hint: `set ${variable}`,
          },
        };
      }
      return { ok: true, name, value: text, version: versionOf(text) };
    });
  }

  close(): void {}

  private async values(): Promise<Record<string, string | undefined>> {
    const file = this.options.dotenvPath ? parse(await readFile(this.options.dotenvPath)) : {};
    const merged: Record<string, string | undefined> = { ...file };
    for (const [key, value] of Object.entries(this.options.variables)) {
      if (value !== undefined) merged[key] = value;
    }
    return merged;
  }
}

function versionOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
