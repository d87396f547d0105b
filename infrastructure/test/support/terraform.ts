import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { terraformDir } from './paths';

/** One block as @cdktf/hcl2json gives it: attributes, nested blocks as arrays, expressions as "${...}". */
export type Block = Record<string, unknown>;

export interface TerraformFile {
  file: string;
  text: string;
  json: {
    locals?: Block[];
    variable?: Record<string, Block[]>;
    resource?: Record<string, Record<string, Block[]>>;
    data?: Record<string, Record<string, Block[]>>;
  };
}

export interface Terraform {
  files: TerraformFile[];
  locals: Record<string, unknown>;
  variables: Record<string, Block>;
  resources: (type: string) => Record<string, Block>;
  data: (type: string) => Record<string, Block>;
}

/** Parses every .tf file of infrastructure/terraform (no terraform binary needed). */
export async function loadTerraform(dir = terraformDir): Promise<Terraform> {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .sort();
  const files: TerraformFile[] = [];
  for (const name of names) {
    const text = readFileSync(join(dir, name), 'utf8');
    files.push({ file: name, text, json: (await parse(name, text)) as TerraformFile['json'] });
  }
  const locals: Record<string, unknown> = {};
  const variables: Record<string, Block> = {};
  for (const { json } of files) {
    for (const block of json.locals ?? []) Object.assign(locals, block);
    for (const [name, blocks] of Object.entries(json.variable ?? {})) variables[name] = blocks[0] ?? {};
  }
  const collect = (kind: 'resource' | 'data', type: string) => {
    const found: Record<string, Block> = {};
    for (const { json } of files) {
      for (const [name, blocks] of Object.entries(json[kind]?.[type] ?? {})) found[name] = blocks[0] ?? {};
    }
    return found;
  };
  return {
    files,
    locals,
    variables,
    resources: (type) => collect('resource', type),
    data: (type) => collect('data', type),
  };
}

/** A nested block list (`statement { ... }` parses to an array of objects). */
export function blocks(block: Block, name: string): Block[] {
  const value = block[name];
  return Array.isArray(value) ? (value as Block[]) : [];
}

export function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`${what} must be a literal list of strings in Terraform (got ${JSON.stringify(value)})`);
  }
  return value as string[];
}

/** `local.<name>` as a map of string lists (services.tf). */
export function localListMap(tf: Terraform, name: string): Record<string, string[]> {
  const value = tf.locals[name];
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`services.tf: local.${name} must be a literal map of string lists`);
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, list]) => [
      key,
      stringList(list, `local.${name}["${key}"]`),
    ]),
  );
}

/**
 * The statements of an aws_iam_policy_document: its `statement` blocks and the `content` of its
 * `dynamic "statement"` blocks, each with the dynamic block's `for_each` expression (undefined for
 * a plain statement), so no check can miss a conditional statement.
 */
export function policyStatements(document: Block): { statement: Block; forEach?: string }[] {
  const plain = blocks(document, 'statement').map((statement) => ({ statement }));
  // hcl2json gives `dynamic` as one object keyed by block name (not a list of blocks).
  const dynamicBlock = document.dynamic as Block | undefined;
  const dynamic = (dynamicBlock ? [dynamicBlock] : []).flatMap((block) =>
    blocks(block, 'statement').flatMap((generator) =>
      blocks(generator, 'content').map((statement) => ({ statement, forEach: String(generator.for_each) })),
    ),
  );
  return [...plain, ...dynamic];
}
