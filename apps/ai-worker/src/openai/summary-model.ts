import type { OpenaiSecret } from '@estate/secrets/catalog';
import OpenAI, { APIConnectionError, APIError, AuthenticationError } from 'openai';
import { OpenAIKeyRejectedError, OpenAIRequestRejectedError, OpenAITransientError } from '../errors';
import type { SummaryPrompt } from '../jobs/prompt';
import type { AiWorkerSecrets } from '../types';
import { retryAfterMs } from './retry-after';

export type OpenAIClientFactory = (secret: OpenaiSecret) => OpenAI;

/** BullMQ owns retries (attempts, backoff, Retry-After), so the client makes exactly one request. */
export const createOpenAIClient: OpenAIClientFactory = (secret) =>
  new OpenAI({
    apiKey: secret.apiKey,
    organization: secret.organization ?? null,
    baseURL: secret.baseURL,
    maxRetries: 0,
    timeout: 60_000,
  });

/** Statuses the API documents as worth retrying (the openai client's own retry set). */
function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Chat completions with the current openai secret. The client is rebuilt whenever the secret
 * changes (a background refresh or a forced one). A 401 forces one refresh of the secret; when it
 * brought a new key the request is retried once, otherwise (or when the retry is rejected too) the
 * job fails for good with a reason that names the secret, never the key.
 */
export class SummaryModel {
  private client!: OpenAI;
  private clientVersion: string | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly secrets: AiWorkerSecrets,
    private readonly createClient: OpenAIClientFactory = createOpenAIClient,
  ) {
    this.rebuild();
    this.unsubscribe = secrets.onChange('openai', () => this.rebuild());
  }

  /** The model's message content (the JSON text), or null when it sent none. */
  async complete(prompt: SummaryPrompt, model: string): Promise<string | null> {
    const usedVersion = this.clientVersion;
    try {
      return await this.request(prompt, model);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw classify(error);
    }
    await this.secrets.refresh('openai');
    // onChange has rebuilt the client if the key moved, here or in a concurrent job's refresh.
    if (this.clientVersion === usedVersion) throw new OpenAIKeyRejectedError(this.secretName(), false);
    try {
      return await this.request(prompt, model);
    } catch (error) {
      if (error instanceof AuthenticationError) throw new OpenAIKeyRejectedError(this.secretName(), true);
      throw classify(error);
    }
  }

  close(): void {
    this.unsubscribe();
  }

  private async request(prompt: SummaryPrompt, model: string): Promise<string | null> {
    const completion = await this.client.chat.completions.create({
      model,
      response_format: { type: 'json_object' },
      temperature: 0.2,
      messages: [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ],
    });
    return completion.choices[0]?.message.content ?? null;
  }

  private rebuild(): void {
    this.client = this.createClient(this.secrets.get('openai'));
    this.clientVersion = this.secrets.versionId('openai');
  }

  private secretName(): string {
    return `estate/${this.secrets.env}/openai`;
  }
}

/**
 * Our error for an OpenAI failure. Only the status, the API's error code or type, and Retry-After
 * travel: an API message can quote part of the key (401) and is not needed to decide anything.
 */
export function classify(error: unknown): unknown {
  if (error instanceof APIConnectionError) {
    return new OpenAITransientError(undefined, undefined, error.name);
  }
  if (!(error instanceof APIError) || error.status === undefined) return error;
  const detail = error.code ?? error.type ?? 'no error code';
  if (isTransientStatus(error.status)) {
    return new OpenAITransientError(error.status, retryAfterMs(error.headers), detail);
  }
  return new OpenAIRequestRejectedError(error.status, detail);
}
