import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  type DescribeSecretResponse,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  type SecretListEntry,
  type SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import type { z } from 'zod';
import { awsErrorName, classifyAwsError, isRetryableClass } from '../aws/classify-error';
import type { Environment } from '../manifest';
import {
  RuntimeSecretError,
  RuntimeSecretNameError,
  RuntimeSecretNotFoundError,
  RuntimeSecretValidationError,
  toRuntimeSecretError,
} from './errors';

/** The few logger methods the store uses; a pino logger fits. Never given a value. */
export interface StoreLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface RuntimeSecretStoreOptions {
  env: Environment;
  client: SecretsManagerClient;
  /** How long a read value is served from memory. Default one minute. */
  ttlMs?: number;
  /** Key for new secrets; omitted = the account's aws/secretsmanager key. */
  kmsKeyId?: string;
  logger?: StoreLogger;
  now?: () => number;
}

export interface PutOptions {
  /** Idempotency token (the new version id): a retried put with the same token and value is a no-op. */
  clientRequestToken?: string;
  /** Used when the secret is created. */
  description?: string;
  /** Set on creation, and added (TagResource) when the secret exists. `expires` (ISO date) is shown by describe/list. */
  tags?: Record<string, string>;
}

export interface GetOptions {
  /** Default AWSCURRENT. */
  versionStage?: string;
  /** Skip the cache (the answer still refreshes it). */
  fresh?: boolean;
}

/** What describe and list tell about a secret: metadata only, never a value. */
export interface RuntimeSecretMetadata {
  name: string;
  arn: string | undefined;
  description: string | undefined;
  createdDate: Date | undefined;
  lastChangedDate: Date | undefined;
  lastRotatedDate: Date | undefined;
  lastAccessedDate: Date | undefined;
  /** Set when the secret is scheduled for deletion. */
  deletedDate: Date | undefined;
  tags: Record<string, string>;
  /** From the `expires` tag, when it is a date. */
  expiresAt: Date | undefined;
}

export type SecretObject = Record<string, unknown>;

interface CacheEntry {
  value: SecretObject;
  versionId: string | undefined;
  fetchedAt: number;
}

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const CURRENT = 'AWSCURRENT';

/**
 * Secrets whose names are built at runtime (per-organization integration credentials), next to
 * the manifest-declared ones: put/get/describe/list/delete through Secrets Manager, with a TTL
 * cache and stale fallback for reads.
 */
export class RuntimeSecretStore {
  readonly env: Environment;
  private readonly client: SecretsManagerClient;
  private readonly ttlMs: number;
  private readonly kmsKeyId: string | undefined;
  private readonly logger: StoreLogger | undefined;
  private readonly now: () => number;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<CacheEntry>>();

  constructor(options: RuntimeSecretStoreOptions) {
    this.env = options.env;
    this.client = options.client;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.kmsKeyId = options.kmsKeyId;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /** `estate/{env}/orgs/{orgId}/{tool}`; both parts are checked so runtime input cannot reach other names. */
  orgIntegrationName(orgId: string, tool: string): string {
    return `${this.orgIntegrationPrefix(orgId)}${checkSegment('tool', tool)}`;
  }

  /** `estate/{env}/orgs/{orgId}/`: the prefix to list one organization's integrations. */
  orgIntegrationPrefix(orgId: string): string {
    return `estate/${this.env}/orgs/${checkSegment('orgId', orgId)}/`;
  }

  /** Writes a new current version: PutSecretValue, or CreateSecret when the secret does not exist yet. */
  async put(
    name: string,
    value: SecretObject,
    options: PutOptions = {},
  ): Promise<{ arn: string; versionId: string }> {
    const secretString = serialize(name, value);
    this.evict(name);
    try {
      const written = await this.putValue(name, secretString, options.clientRequestToken);
      if (options.tags && Object.keys(options.tags).length > 0) {
        await this.client.send(new TagResourceCommand({ SecretId: name, Tags: toTags(options.tags) }));
      }
      return written;
    } catch (error) {
      if (classifyAwsError(error) !== 'not-found') {
        throw toRuntimeSecretError(error, 'PutSecretValue', name);
      }
    }
    try {
      const created = await this.client.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: secretString,
          ClientRequestToken: options.clientRequestToken,
          Description: options.description,
          KmsKeyId: this.kmsKeyId,
          Tags: options.tags ? toTags(options.tags) : undefined,
        }),
      );
      return { arn: created.ARN!, versionId: created.VersionId! };
    } catch (error) {
      // Someone created it between our two calls: write our value as a new version.
      if (awsErrorName(error) === 'ResourceExistsException' && !options.clientRequestToken) {
        return this.putValue(name, secretString, undefined).catch((retry: unknown) => {
          throw toRuntimeSecretError(retry, 'PutSecretValue', name);
        });
      }
      throw toRuntimeSecretError(error, 'CreateSecret', name);
    }
  }

  /**
   * Reads a JSON-object secret, from memory while younger than the TTL. When a fetch fails for a
   * reason that may pass (throttling, 5xx, network, timeout, a denial), the last value read is
   * served stale.
   */
  async get(name: string, schema?: undefined, options?: GetOptions): Promise<SecretObject>;
  async get<S extends z.ZodType>(name: string, schema: S, options?: GetOptions): Promise<z.output<S>>;
  async get(name: string, schema?: z.ZodType, options: GetOptions = {}): Promise<unknown> {
    const entry = await this.read(name, options.versionStage ?? CURRENT, options.fresh ?? false);
    return schema ? validate(name, schema, entry.value) : structuredClone(entry.value);
  }

  /** The version id of the cached (or fetched) version, for callers that compare versions. */
  async versionId(name: string, versionStage = CURRENT): Promise<string | undefined> {
    return (await this.read(name, versionStage, false)).versionId;
  }

  async describe(name: string): Promise<RuntimeSecretMetadata> {
    try {
      return toMetadata(await this.client.send(new DescribeSecretCommand({ SecretId: name })));
    } catch (error) {
      throw toRuntimeSecretError(error, 'DescribeSecret', name);
    }
  }

  /** Every secret whose name starts with `prefix` (ListSecrets, name filter), metadata only. */
  async list(
    prefix: string,
    options: { includePlannedDeletion?: boolean } = {},
  ): Promise<RuntimeSecretMetadata[]> {
    const found: RuntimeSecretMetadata[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListSecretsCommand({
            Filters: [{ Key: 'name', Values: [prefix] }],
            IncludePlannedDeletion: options.includePlannedDeletion,
            MaxResults: 100,
            NextToken: nextToken,
          }),
        );
        // The name filter also matches words inside names on some backends: keep true prefixes only.
        for (const entry of page.SecretList ?? []) {
          if (entry.Name?.startsWith(prefix)) found.push(toMetadata(entry));
        }
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      throw toRuntimeSecretError(error, 'ListSecrets', prefix);
    }
    return found;
  }

  /** Schedules deletion (restorable within the recovery window) and forgets the cached value. */
  async delete(
    name: string,
    options: { recoveryWindowInDays?: number } = {},
  ): Promise<{ arn: string | undefined; deletionDate: Date | undefined }> {
    const recoveryWindowInDays = options.recoveryWindowInDays ?? 7;
    if (!Number.isInteger(recoveryWindowInDays) || recoveryWindowInDays < 7 || recoveryWindowInDays > 30) {
      throw new RuntimeSecretError(
        `delete ${name}: recoveryWindowInDays must be a whole number from 7 to 30`,
        {
          secretName: name,
        },
      );
    }
    this.evict(name);
    try {
      const deleted = await this.client.send(
        new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: recoveryWindowInDays }),
      );
      return { arn: deleted.ARN, deletionDate: deleted.DeletionDate };
    } catch (error) {
      throw toRuntimeSecretError(error, 'DeleteSecret', name);
    }
  }

  /** Forgets every cached stage of one secret. */
  evict(name: string): void {
    for (const key of this.cache.keys()) {
      if (key.startsWith(`${name}\u0000`)) this.cache.delete(key);
    }
  }

  private async putValue(
    name: string,
    secretString: string,
    clientRequestToken: string | undefined,
  ): Promise<{ arn: string; versionId: string }> {
    const put = await this.client.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: secretString,
        ClientRequestToken: clientRequestToken,
      }),
    );
    return { arn: put.ARN!, versionId: put.VersionId! };
  }

  private async read(name: string, versionStage: string, fresh: boolean): Promise<CacheEntry> {
    // The key holds everything that changes the answer: name and stage (schemas apply after the cache).
    const key = `${name}\u0000${versionStage}`;
    const cached = this.cache.get(key);
    if (cached && !fresh && this.now() - cached.fetchedAt < this.ttlMs) return cached;

    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const fetching = this.fetch(name, versionStage)
      .then((entry) => {
        this.cache.set(key, entry);
        return entry;
      })
      .catch((error: unknown) => {
        const mapped = toRuntimeSecretError(error, 'GetSecretValue', name);
        if (mapped instanceof RuntimeSecretNotFoundError) {
          this.cache.delete(key);
          throw mapped;
        }
        const stale = this.cache.get(key);
        // What may pass (throttling, 5xx, network, timeout) or what an operator fixes without the
        // value changing (a denial: IAM, expired credentials, KMS); not a missing or invalid secret.
        const errorClass = classifyAwsError(error);
        if (stale && (isRetryableClass(errorClass) || errorClass === 'denied')) {
          this.logger?.warn(
            { secret: name, versionStage, error: mapped.awsErrorName, ageMs: this.now() - stale.fetchedAt },
            'runtime secret fetch failed; serving the last value read',
          );
          return stale;
        }
        throw mapped;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, fetching);
    return fetching;
  }

  private async fetch(name: string, versionStage: string): Promise<CacheEntry> {
    const answer = await this.client.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: versionStage }),
    );
    return { value: parse(name, answer.SecretString), versionId: answer.VersionId, fetchedAt: this.now() };
  }
}

function checkSegment(field: string, value: string): string {
  if (typeof value !== 'string' || !SEGMENT.test(value)) {
    throw new RuntimeSecretNameError(`${field} must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -`);
  }
  return value;
}

function serialize(name: string, value: SecretObject): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RuntimeSecretValidationError(name, ['(root): must be a JSON object']);
  }
  return JSON.stringify(value);
}

function parse(name: string, secretString: string | undefined): SecretObject {
  if (secretString === undefined) {
    throw new RuntimeSecretValidationError(name, [
      '(root): has no SecretString (binary secrets are not supported here)',
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new RuntimeSecretValidationError(name, ['(root): is not JSON']);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RuntimeSecretValidationError(name, ['(root): must be a JSON object']);
  }
  return parsed as SecretObject;
}

function validate<S extends z.ZodType>(name: string, schema: S, value: SecretObject): z.output<S> {
  const checked = schema.safeParse(structuredClone(value));
  if (checked.success) return checked.data;
  // Path and zod's own message: zod's default messages never quote the input.
  throw new RuntimeSecretValidationError(
    name,
    checked.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

function toTags(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function toMetadata(entry: DescribeSecretResponse | SecretListEntry): RuntimeSecretMetadata {
  const tags = Object.fromEntries((entry.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  const expires = tags.expires ? new Date(tags.expires) : undefined;
  return {
    name: entry.Name ?? '',
    arn: entry.ARN,
    description: entry.Description,
    createdDate: entry.CreatedDate,
    lastChangedDate: entry.LastChangedDate,
    lastRotatedDate: entry.LastRotatedDate,
    lastAccessedDate: entry.LastAccessedDate,
    deletedDate: entry.DeletedDate,
    tags,
    expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires : undefined,
  };
}
