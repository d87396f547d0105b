import { z } from 'zod';
import { ModelOutputError } from '../errors';

/** What the model must answer (response_format json_object), validated before anything is stored. */
export const MarketSummaryOutput = z.object({
  summaryKo: z.string().trim().min(1).max(4_000),
  summaryEn: z.string().trim().min(1).max(4_000),
  trend: z.enum(['up', 'down', 'flat', 'mixed']),
  highlights: z.array(z.string().trim().min(1).max(400)).max(5).default([]),
});
export type MarketSummaryOutput = z.infer<typeof MarketSummaryOutput>;

/** Parses and validates the model's message; a ModelOutputError names field paths, never the text. */
export function parseModelOutput(content: string | null | undefined): MarketSummaryOutput {
  if (content === null || content === undefined || content.trim() === '') {
    throw new ModelOutputError([{ path: '(message)', message: 'empty answer' }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new ModelOutputError([{ path: '(message)', message: 'not valid JSON' }]);
  }
  const result = MarketSummaryOutput.safeParse(json);
  if (result.success) return result.data;
  throw new ModelOutputError(
    result.error.issues.map((issue) => ({
      path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
      message: issue.message,
    })),
  );
}
