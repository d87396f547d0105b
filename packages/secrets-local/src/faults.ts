import { z } from 'zod';
import { FaultRuleError } from './errors';
import type { FaultRule } from './types';

const FaultRuleSchema = z
  .object({
    kind: z.enum(['throttle', 'error500', 'latency', 'drop']),
    operation: z.string().min(1).optional(),
    count: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    latencyMs: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((rule) => rule.kind !== 'latency' || rule.latencyMs !== undefined, {
    message: "a 'latency' rule needs latencyMs",
    path: ['latencyMs'],
  });

/** Validates one rule or an array of rules (control API bodies, CLI flags, start options). */
export function parseFaultRules(input: unknown): FaultRule[] {
  const list = Array.isArray(input) ? input : [input];
  return list.map((item, index) => {
    const parsed = FaultRuleSchema.safeParse(item);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new FaultRuleError(`fault rule ${index + 1}: ${where}${issue?.message ?? 'invalid'}`);
  });
}

/** What to do to one request: wait, then maybe fail it. */
export interface FaultPlan {
  latencyMs: number;
  outcome?: 'throttle' | 'error500' | 'drop';
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/**
 * The active fault rules. Each request consults them once: every matching latency rule that
 * fires adds its delay; the first matching throttle/error500/drop rule that fires decides the
 * outcome. A rule with `count` expires after firing that many times.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  constructor(
    rules: FaultRule[] = [],
    private readonly random: () => number = Math.random,
  ) {
    this.set(rules);
  }

  set(rules: FaultRule[]): void {
    this.rules = parseFaultRules(rules).map((rule) => ({
      rule,
      remaining: rule.count ?? Number.POSITIVE_INFINITY,
    }));
  }

  add(rules: FaultRule | FaultRule[]): void {
    for (const rule of parseFaultRules(rules)) {
      this.rules.push({ rule, remaining: rule.count ?? Number.POSITIVE_INFINITY });
    }
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ rule, remaining }) =>
      Number.isFinite(remaining) ? { ...rule, count: remaining } : { ...rule },
    );
  }

  /** Decides the faults for one request to `operation` (e.g. 'GetSecretValue') of `target`. */
  plan(operation: string, target: string): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0 };
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.operation !== undefined && rule.operation !== operation && rule.operation !== target) continue;
      if (rule.kind !== 'latency' && plan.outcome !== undefined) continue;
      if (this.random() >= (rule.probability ?? 1)) continue;
      active.remaining -= 1;
      if (rule.kind === 'latency') plan.latencyMs += rule.latencyMs ?? 0;
      else plan.outcome = rule.kind;
    }
    this.rules = this.rules.filter((active) => active.remaining > 0);
    return plan;
  }
}
