import { describe, expect, it } from 'vitest';
import { NO_DIRECTIVES, parseDirectives } from './directives.js';

function parsed(prompt: string) {
  const result = parseDirectives(prompt);
  if (!result.ok) throw new Error(`expected directives to parse: ${result.message}`);
  return result.directives;
}

describe('directives', () => {
  it('returns the shared empty set when the prompt has no directive', () => {
    expect(parseDirectives('Fix the failing test in a.ts')).toEqual({ ok: true, directives: NO_DIRECTIVES });
  });

  it('parses every verb, one per line, ignoring surrounding prose and indentation', () => {
    const directives = parsed(
      [
        'Fix the bug.',
        '  @sim reply first line',
        '@sim reply second line',
        '@sim json {"fixed": true}',
        '@sim latency 25',
        '@sim tokens 1200 80',
        '@sim fail 429 times 2 retry-after 0.5',
        '@sim fail reset',
        '@sim tool Read {"file_path": "a.ts"}',
        '@sim tool Bash',
        'not @sim reply here (mid-line)',
      ].join('\n'),
    );
    expect(directives.reply).toBe('first line\nsecond line');
    expect(directives.json).toEqual({ value: { fixed: true } });
    expect(directives.latencyMs).toBe(25);
    expect(directives.tokens).toEqual({ input: 1200, output: 80 });
    expect(directives.failures).toEqual([
      { kind: 'status', status: 429, retryAfterSeconds: 0.5 },
      { kind: 'status', status: 429, retryAfterSeconds: 0.5 },
      { kind: 'reset' },
    ]);
    expect(directives.tools).toEqual([{ name: 'Read', input: { file_path: 'a.ts' } }, { name: 'Bash' }]);
  });

  it('keeps a JSON null distinguishable from no json directive', () => {
    expect(parsed('@sim json null').json).toEqual({ value: null });
    expect(parsed('@sim reply x').json).toBeUndefined();
  });

  it.each([
    ['@sim json {not json'],
    ['@sim latency soon'],
    ['@sim tokens 10'],
    ['@sim fail 200'],
    ['@sim fail 429 times 0'],
    ['@sim fail 429 forever'],
    ['@sim tool'],
    ['@sim tool Read {"broken"'],
    ['@sim dance'],
  ])('rejects the malformed directive %s', (line) => {
    const result = parseDirectives(`Prompt\n${line}`);
    expect(result.ok).toBe(false);
  });
});
