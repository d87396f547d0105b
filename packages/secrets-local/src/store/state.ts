import { z } from 'zod';

/** Dates are epoch milliseconds in memory and in the data file; seconds on the wire. */
const SecretVersionSchema = z.object({
  versionId: z.string().min(1),
  secretString: z.string().optional(),
  /** base64 */
  secretBinary: z.string().optional(),
  stages: z.array(z.string()),
  createdDate: z.number(),
  lastAccessedDate: z.number().optional(),
});

const TagSchema = z.object({ Key: z.string(), Value: z.string() });

const RotationSchema = z.object({
  enabled: z.boolean(),
  lambdaArn: z.string().optional(),
  rules: z
    .object({
      AutomaticallyAfterDays: z.number().optional(),
      Duration: z.string().optional(),
      ScheduleExpression: z.string().optional(),
    })
    .optional(),
  lastRotatedDate: z.number().optional(),
  nextRotationDate: z.number().optional(),
});

const SecretSchema = z.object({
  arn: z.string().min(1),
  name: z.string().min(1),
  description: z.string().optional(),
  kmsKeyId: z.string().optional(),
  tags: z.array(TagSchema),
  createdDate: z.number(),
  lastChangedDate: z.number(),
  lastAccessedDate: z.number().optional(),
  /** When DeleteSecret was called. */
  deletedDate: z.number().optional(),
  /** When the secret is purged for good. */
  deletionDate: z.number().optional(),
  rotation: RotationSchema,
  /** Oldest first. */
  versions: z.array(SecretVersionSchema),
});

const ParameterSchema = z.object({
  name: z.string().min(1),
  type: z.enum(['String', 'StringList', 'SecureString']),
  value: z.string(),
  version: z.number().int().positive(),
  lastModifiedDate: z.number(),
  description: z.string().optional(),
  keyId: z.string().optional(),
  tier: z.enum(['Standard', 'Advanced', 'Intelligent-Tiering']),
  dataType: z.string(),
});

export const StoreDataSchema = z.object({
  format: z.literal('estate-secrets-local/1'),
  secrets: z.record(z.string(), SecretSchema),
  parameters: z.record(z.string(), ParameterSchema),
});

export type SecretVersion = z.infer<typeof SecretVersionSchema>;
export type SecretRecord = z.infer<typeof SecretSchema>;
export type ParameterRecord = z.infer<typeof ParameterSchema>;
export type StoreData = z.infer<typeof StoreDataSchema>;

export function emptyStoreData(): StoreData {
  return { format: 'estate-secrets-local/1', secrets: {}, parameters: {} };
}
