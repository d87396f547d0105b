import { z } from 'zod';
import { notSecret } from './marks';

/**
 * The secret catalog (docs/architecture.md): one JSON object per group under `estate/{env}/{group}`.
 * Schemas reject weak or malformed values so a service never starts with them. Extra fields are
 * stripped, not rejected: AWS-managed secrets (RDS) carry fields of their own.
 */

const nonEmpty = z.string().trim().min(1, 'must not be empty');
/** Fields that identify rather than authenticate: shown in logs, checked but not scrubbed. */
const port = notSecret(z.number().int().min(1).max(65_535));
const host = notSecret(nonEmpty);
const label = notSecret(nonEmpty);
const httpUrl = notSecret(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }));

/** A PEM certificate, base64-encoded so it fits one JSON string. */
const base64Pem = z
  .string()
  .refine(
    (value) => Buffer.from(value, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----'),
    'must be a base64-encoded PEM certificate',
  );

export const DatabaseSecret = z.object({
  host,
  port,
  dbname: label,
  username: label,
  password: z.string().min(12, 'must be at least 12 characters'),
  ssl: z
    .object({
      ca: base64Pem,
      rejectUnauthorized: notSecret(z.boolean()).default(true),
    })
    .optional(),
});
export type DatabaseSecret = z.infer<typeof DatabaseSecret>;

export const RedisSecret = z.object({
  host,
  port,
  password: z.string().min(1).optional(),
  tls: z
    .object({
      servername: host,
      ca: base64Pem.optional(),
    })
    .optional(),
});
export type RedisSecret = z.infer<typeof RedisSecret>;

export const RabbitmqSecret = z.object({
  url: z.string().refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (
      (url.protocol === 'amqp:' || url.protocol === 'amqps:') && url.username !== '' && url.password !== ''
    );
  }, 'must be amqp[s]://user:pass@host:port/vhost'),
});
export type RabbitmqSecret = z.infer<typeof RabbitmqSecret>;

export const JwtSecret = z.object({
  secret: z
    .string()
    .refine((value) => Buffer.byteLength(value, 'utf8') >= 32, 'must be at least 32 bytes (HS256 key)'),
  issuer: label,
  expiresIn: notSecret(
    z.union([
      z.number().int().positive(),
      z.string().regex(/^\d+[smhd]$/, 'must be a duration such as 15m, 12h or 7d'),
    ]),
  ),
});
export type JwtSecret = z.infer<typeof JwtSecret>;

export const SesSecret = z.object({
  smtpHost: host,
  smtpUser: label,
  smtpPassword: nonEmpty,
  fromAddress: notSecret(z.email()),
});
export type SesSecret = z.infer<typeof SesSecret>;

export const SegmentSecret = z.object({
  writeKey: nonEmpty,
});
export type SegmentSecret = z.infer<typeof SegmentSecret>;

export const OpenaiSecret = z.object({
  apiKey: nonEmpty,
  organization: label.optional(),
  baseURL: httpUrl.optional(),
});
export type OpenaiSecret = z.infer<typeof OpenaiSecret>;

/** R-ONE statistics API. An empty key makes the real server answer a sample forever, hence min(1). */
export const KrebSecret = z.object({
  apiKey: nonEmpty,
  baseURL: httpUrl.optional(),
});
export type KrebSecret = z.infer<typeof KrebSecret>;

/** MOLIT apartment deals API on the public data portal. */
export const MolitSecret = z.object({
  serviceKey: nonEmpty,
  baseURL: httpUrl.optional(),
});
export type MolitSecret = z.infer<typeof MolitSecret>;
