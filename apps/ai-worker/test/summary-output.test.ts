import { ModelOutputError } from '../src/errors';
import { parseModelOutput } from '../src/jobs/summary-output';

const valid = { summaryKo: '요약', summaryEn: 'Summary', trend: 'up', highlights: ['하나'] };

function issuesOf(content: string | null): string {
  try {
    parseModelOutput(content);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelOutputError);
    return (error as ModelOutputError).message;
  }
  throw new Error('expected a ModelOutputError');
}

describe('parseModelOutput', () => {
  it('accepts the documented object and defaults highlights', () => {
    expect(parseModelOutput(JSON.stringify(valid))).toEqual(valid);
    const { highlights: _h, ...withoutHighlights } = valid;
    expect(parseModelOutput(JSON.stringify(withoutHighlights)).highlights).toEqual([]);
  });

  it('names each wrong field by path, never quoting the text', () => {
    const secretish = 'leaked-prompt-text-1234';
    const message = issuesOf(
      JSON.stringify({ summaryKo: 42, summaryEn: secretish, trend: 'sideways', highlights: [secretish, ''] }),
    );
    expect(message).toMatch(/^model output failed validation: /);
    expect(message).toContain('summaryKo: ');
    expect(message).toContain('trend: ');
    expect(message).toContain('highlights.1: ');
    expect(message).not.toContain('summaryEn');
    expect(message).not.toContain(secretish);
    expect(message).not.toContain('sideways');
  });

  it('says when the answer is not JSON or empty, without echoing it', () => {
    expect(issuesOf('Sure! Here you go')).toBe('model output failed validation: (message): not valid JSON');
    expect(issuesOf(null)).toBe('model output failed validation: (message): empty answer');
    expect(issuesOf('[]')).toContain('(root): ');
  });
});
