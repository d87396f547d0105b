import type { Secrets } from '@estate/secrets';
import type { manifest } from './secrets';

export type AiWorkerSecrets = Secrets<typeof manifest>;
