import type { SensitiveValue } from './sensitive-values';

/** Shorter values would turn ordinary words in log lines into noise; secrets are longer than this. */
export const MIN_SCRUB_LENGTH = 4;

/**
 * Replaces every loaded sensitive value in a text with `[redacted:<label>]`. Values are matched in
 * their raw and their JSON-escaped form (a log line is JSON), longest first, so a value that
 * contains another is replaced whole.
 */
export class Scrubber {
  private pattern: RegExp | undefined;
  private labels = new Map<string, string>();
  private source: readonly SensitiveValue[] | undefined;

  constructor(private readonly values: () => readonly SensitiveValue[]) {}

  scrub(text: string): string {
    const current = this.values();
    if (current !== this.source) this.rebuild(current);
    if (!this.pattern) return text;
    return text.replace(this.pattern, (match) => `[redacted:${this.labels.get(match) ?? 'secret'}]`);
  }

  private rebuild(values: readonly SensitiveValue[]): void {
    this.source = values;
    const labels = new Map<string, string>();
    for (const { label, value } of values) {
      if (value.length < MIN_SCRUB_LENGTH) continue;
      for (const form of [value, JSON.stringify(value).slice(1, -1)]) {
        if (!labels.has(form)) labels.set(form, label);
      }
    }
    this.labels = labels;
    const forms = [...labels.keys()].sort((a, b) => b.length - a.length);
    this.pattern = forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
