/** An environment variable name that would hold a secret. */
export const SECRET_LOOKING_NAME = /(KEY|SECRET|PASSWORD|PASSWD|TOKEN|DSN|CREDENTIAL)/i;

/** A URL with a user:password part, e.g. amqp://user:pass@host. */
export const CREDENTIAL_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i;
