export { createSecretsLogger, type SensitiveValueSource } from './logger';
export { REDACTED, redact } from './redact';
export { MIN_SCRUB_LENGTH, Scrubber } from './scrubber';
export { type SensitiveValue, sensitiveValues } from './sensitive-values';
