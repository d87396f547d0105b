import { z } from 'zod';

const Name = z.string().min(1).max(2048);

export const GetParameterRequest = z.object({ Name, WithDecryption: z.boolean().optional() });

export const GetParametersRequest = z.object({
  Names: z.array(Name).min(1).max(10),
  WithDecryption: z.boolean().optional(),
});

export const GetParametersByPathRequest = z.object({
  Path: z.string().min(1).max(2048),
  Recursive: z.boolean().optional(),
  WithDecryption: z.boolean().optional(),
  MaxResults: z.number().int().min(1).max(10).optional(),
  NextToken: z.string().optional(),
  ParameterFilters: z.array(z.unknown()).optional(),
});

export const PutParameterRequest = z.object({
  Name,
  Value: z.string(),
  Type: z.enum(['String', 'StringList', 'SecureString']).optional(),
  Overwrite: z.boolean().optional(),
  Description: z.string().max(1024).optional(),
  KeyId: z.string().min(1).max(256).optional(),
  Tier: z.enum(['Standard', 'Advanced', 'Intelligent-Tiering']).optional(),
  DataType: z.string().min(0).max(128).optional(),
  AllowedPattern: z.string().max(1024).optional(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
});

export const DeleteParameterRequest = z.object({ Name });

export const DescribeParametersRequest = z.object({
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: z.string().optional(),
  ParameterFilters: z
    .array(
      z.object({
        Key: z.string().min(1),
        Option: z.string().optional(),
        Values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
