/**
 * Matching one `Bash(...)` specifier against one analysed simple command. Claude Code's forms:
 * `npm test:*` is a prefix on whole words (`npm test`, `npm test -- x`, not `npm testx`), a `*`
 * elsewhere is a wildcard, anything else must match the whole command.
 *
 * Deny and allow are asymmetric on purpose. A deny rule matches the program by name too
 * (`/bin/rm` is `rm`), and a word decided at run time *may* match (the caller refuses: it cannot
 * prove otherwise). An allow rule must be proven: the words as written, all literal where the
 * rule looks.
 */
import { programName } from './command-wrappers.js';
import type { SimpleCommand } from './shell-analysis.js';

/** `maybe`: a word the rule looks at is decided at run time. */
export type RuleMatch = 'yes' | 'maybe' | 'no';

/** Whether a deny specifier forbids this command (by its words as written or by program name). */
export function denyMatches(specifier: string, command: SimpleCommand): RuleMatch {
  const asWritten = specifierMatches(specifier, command);
  if (asWritten === 'yes') return 'yes';
  const name = programName(command.words[0]);
  const byName =
    name !== undefined && command.words[0]?.literal && name !== command.words[0].value
      ? specifierMatches(specifier, {
          ...command,
          words: [{ literal: true, value: name }, ...command.words.slice(1)],
        })
      : 'no';
  if (byName === 'yes') return 'yes';
  return asWritten === 'maybe' || byName === 'maybe' ? 'maybe' : 'no';
}

/** Whether an allow specifier provably permits this command. */
export function allowMatches(specifier: string, command: SimpleCommand): boolean {
  return specifierMatches(specifier, command) === 'yes';
}

function specifierMatches(specifier: string, command: SimpleCommand): RuleMatch {
  if (specifier.endsWith(':*')) return tokensMatch(tokens(specifier.slice(0, -2)), command, true);
  if (specifier.includes('*')) return wildcardMatches(specifier, command);
  return tokensMatch(tokens(specifier), command, false);
}

function tokens(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

function tokensMatch(expected: readonly string[], command: SimpleCommand, prefix: boolean): RuleMatch {
  const { words, openEnded } = command;
  for (const [index, token] of expected.entries()) {
    const word = words[index];
    if (word === undefined) return openEnded ? 'maybe' : 'no';
    if (!word.literal) return 'maybe';
    if (word.value !== token) return 'no';
  }
  if (prefix) return 'yes';
  const extra = words.slice(expected.length);
  if (extra.length === 0) return openEnded ? 'maybe' : 'yes';
  // An unquoted expansion can vanish: `rm f $x` may be exactly `rm f`.
  return extra.every((word) => !word.literal) ? 'maybe' : 'no';
}

function wildcardMatches(specifier: string, command: SimpleCommand): RuleMatch {
  const pattern = new RegExp(`^${specifier.trim().split('*').map(escapeRegExp).join('.*')}$`, 's');
  if (command.words.every((word) => word.literal)) {
    const text = command.words.map((word) => (word.literal ? word.value : '')).join(' ');
    return pattern.test(text) ? 'yes' : openEndedCouldMatch(specifier, command);
  }
  // Some word is decided at run time: only a rule about another program is provably unrelated.
  const first = tokens(specifier)[0] ?? '';
  const program = command.words[0];
  if (program?.literal && !first.includes('*') && program.value !== first) return 'no';
  return 'maybe';
}

/** An open-ended command (`xargs git`) may still grow into the rule (`git push *`). */
function openEndedCouldMatch(specifier: string, command: SimpleCommand): RuleMatch {
  if (!command.openEnded) return 'no';
  const first = tokens(specifier)[0] ?? '';
  const program = command.words[0];
  return program?.literal && !first.includes('*') && program.value !== first ? 'no' : 'maybe';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
