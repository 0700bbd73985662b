/**
 * Claude Code's permission rules, with the semantics an unattended agent needs (nobody can be
 * asked): everything inside the workspace is allowed unless a `deny` rule matches; when the
 * `allow` list names a tool only with specifiers (say only `Bash(npm test:*)`), that tool is
 * restricted to them. `deny` always wins.
 */
import { homedir } from 'node:os';
import path from 'node:path';

import picomatch from 'picomatch';

import { UsageError } from '../errors/index.js';
import { allowMatches, denyMatches } from './internal/bash-rule-match.js';
import { analyseShellCommand, type ShellAnalysis } from './internal/shell-analysis.js';
import type { PermissionRules } from './settings-file.js';

export interface PermissionDecision {
  readonly allowed: boolean;
  /** Why the call was refused, written for the model to read. */
  readonly reason?: string;
}

interface Rule {
  readonly text: string;
  readonly tool: string;
  readonly specifier: string | undefined;
}

/** Tools that one rule name covers: an `Edit(...)` rule governs every tool that writes files. */
const FAMILIES: Readonly<Record<string, readonly string[]>> = {
  Edit: ['Edit', 'Write', 'MultiEdit', 'NotebookEdit'],
  Write: ['Edit', 'Write', 'MultiEdit', 'NotebookEdit'],
  Read: ['Read', 'Glob', 'Grep'],
};

const PATH_TOOLS = new Set(['Read', 'Edit', 'Write', 'MultiEdit', 'NotebookEdit']);
const SEARCH_TOOLS = new Set(['Glob', 'Grep']);

const RULE_SYNTAX = /^([A-Za-z0-9_-]+)(?:\((.*)\))?$/s;

/**
 * Decides whether a tool call may run.
 *
 * @example
 * const policy = createPermissionPolicy({ allow: ['Bash(npm test:*)'], deny: ['Edit(.env)'] });
 * policy.check('Bash', { command: 'rm -rf x' }, '/work/repo').allowed; // false
 * policy.checkExecPermission('npm test -- x').allowed;                  // true
 */
export class PermissionPolicy {
  private readonly allowRules: readonly Rule[];
  private readonly denyRules: readonly Rule[];

  constructor(rules: Partial<PermissionRules> = {}) {
    this.allowRules = (rules.allow ?? []).map(parseRule);
    this.denyRules = (rules.deny ?? []).map(parseRule);
  }

  /** `workspace` is the agent's root: path rules such as `Edit(src/**)` are relative to it. */
  check(toolName: string, input: unknown, workspace: string): PermissionDecision {
    if (toolName === 'Bash') return this.checkBash(commandOf(input));
    const target = targetPath(toolName, input, workspace);
    for (const rule of this.denyRules) {
      if (!covers(rule, toolName)) continue;
      if (rule.specifier === undefined) return refuse(`the deny rule "${rule.text}" forbids ${toolName}`);
      if (target !== undefined && pathMatches(rule.specifier, target)) {
        return refuse(`the deny rule "${rule.text}" forbids ${toolName} on ${target.relative}`);
      }
    }
    // Searches are only held to deny rules: a restricted Read allow list must not make Grep of `.` useless.
    if (SEARCH_TOOLS.has(toolName)) return { allowed: true };
    const allows = this.allowRules.filter((rule) => covers(rule, toolName));
    if (allows.length === 0 || allows.some((rule) => rule.specifier === undefined)) return { allowed: true };
    if (!PATH_TOOLS.has(toolName) || target === undefined) return { allowed: true };
    if (allows.some((rule) => rule.specifier !== undefined && pathMatches(rule.specifier, target))) {
      return { allowed: true };
    }
    return refuse(
      `${toolName} on ${target.relative} is not allowed: the allow list permits only ${allows.map((rule) => rule.text).join(', ')}`,
    );
  }

  /** The same rules applied to a shell command run by the script's `exec()`. */
  checkExecPermission(command: string): PermissionDecision {
    return this.checkBash(command);
  }

  /**
   * Bash rules look at every simple command the line could run (see internal/shell-analysis.ts).
   * Without a Bash deny rule or a restricting allow list nothing is parsed and nothing changes.
   */
  private checkBash(command: string): PermissionDecision {
    const denies = this.denyRules.filter((rule) => rule.tool === 'Bash');
    const bareDeny = denies.find((rule) => rule.specifier === undefined);
    if (bareDeny) return refuse(`the deny rule "${bareDeny.text}" forbids Bash`);
    const allows = this.allowRules.filter((rule) => rule.tool === 'Bash');
    const restricting = allows.length > 0 && allows.every((rule) => rule.specifier !== undefined);
    if (denies.length === 0 && !restricting) return { allowed: true };

    const analysis = analyseShellCommand(command);
    const governing = [...denies, ...(restricting ? allows : [])].map((rule) => rule.text).join(', ');
    if (analysis.parseError !== undefined) {
      return refuse(
        `the command cannot be checked against the Bash rules (${governing}): ${analysis.parseError}; fix the command`,
      );
    }
    const denied = checkDenies(denies, analysis);
    if (denied) return denied;
    if (!restricting) return { allowed: true };

    const allowedText = allows.map((rule) => rule.text).join(', ');
    const unprovable = analysis.unprovable[0];
    if (unprovable) {
      return refuse(
        `cannot prove that \`${unprovable.text}\` runs only what the allow list permits (${allowedText}): ${unprovable.why}`,
      );
    }
    if (analysis.substitution) {
      return refuse(
        `command substitution cannot be checked against the allow list (${allowedText}); run the parts separately`,
      );
    }
    const unmatched = analysis.commands.find(
      (simple) =>
        !allows.some((rule) => rule.specifier !== undefined && allowMatches(rule.specifier, simple)),
    );
    if (unmatched !== undefined || analysis.commands.length === 0) {
      return refuse(
        `\`${unmatched?.text ?? command}\` is not allowed: the allow list permits only ${allowedText}`,
      );
    }
    return { allowed: true };
  }
}

/** A definite match refuses first (the clearest reason); then whatever a deny rule cannot see through. */
function checkDenies(denies: readonly Rule[], analysis: ShellAnalysis): PermissionDecision | undefined {
  if (denies.length === 0) return undefined;
  let uncertain: { rule: Rule; text: string } | undefined;
  for (const rule of denies) {
    for (const simple of analysis.commands) {
      const match = denyMatches(rule.specifier ?? '', simple);
      if (match === 'yes') return refuse(`the deny rule "${rule.text}" forbids \`${simple.text}\``);
      if (match === 'maybe') uncertain ??= { rule, text: simple.text };
    }
  }
  const unprovable = analysis.unprovable[0];
  if (unprovable) {
    const programs = denies.map(deniedProgram).join(' or ');
    return refuse(
      `cannot prove that \`${unprovable.text}\` does not run ${programs} (denied by ${denies.map((rule) => rule.text).join(', ')}): ${unprovable.why}`,
    );
  }
  if (uncertain) {
    return refuse(
      `cannot prove that \`${uncertain.text}\` does not run ${deniedProgram(uncertain.rule)} (denied by ${uncertain.rule.text}): a word it depends on is decided at run time`,
    );
  }
  if (analysis.substitution) {
    return refuse(
      `command substitution ($(...), backticks, <(...)) cannot be checked against the Bash deny rules (${denies.map((rule) => rule.text).join(', ')}); run the parts separately`,
    );
  }
  return undefined;
}

/** `Bash(rm:*)` → `rm`, for messages. */
function deniedProgram(rule: Rule): string {
  return (rule.specifier ?? '').replace(/:\*$/, '').trim();
}

/** Builds a policy from settings' `permissions`; a malformed rule is `CONFIG_INVALID`. */
export function createPermissionPolicy(rules: Partial<PermissionRules> = {}): PermissionPolicy {
  return new PermissionPolicy(rules);
}

/**
 * The check the runtime applies to `exec(command)`: the same `Bash(...)` rules agents obey.
 *
 * @example
 * if (!checkExecPermission(policy, 'rm -rf build').allowed) throw ...
 */
export function checkExecPermission(policy: PermissionPolicy, command: string): PermissionDecision {
  return policy.checkExecPermission(command);
}

function parseRule(text: string): Rule {
  const match = RULE_SYNTAX.exec(text.trim());
  if (!match?.[1]) {
    throw new UsageError('CONFIG_INVALID', `Invalid permission rule "${text}".`, {
      hint: 'Write rules as a tool name, optionally with a specifier: "Bash", "Bash(npm test:*)", "Edit(src/**)".',
    });
  }
  const specifier = match[2]?.trim();
  // `Bash(*)` and `Edit(**)` mean the whole tool.
  return { text, tool: match[1], specifier: specifier === '' || specifier === '*' ? undefined : specifier };
}

function covers(rule: Rule, toolName: string): boolean {
  if (rule.tool === toolName) return true;
  if (FAMILIES[rule.tool]?.includes(toolName)) return true;
  // `mcp__server` covers every tool of that server.
  return (
    rule.tool.startsWith('mcp__') && rule.specifier === undefined && toolName.startsWith(`${rule.tool}__`)
  );
}

interface TargetPath {
  readonly absolute: string;
  /** Workspace-relative with `/` separators; starts with `..` when outside. */
  readonly relative: string;
}

function targetPath(toolName: string, input: unknown, workspace: string): TargetPath | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const record = input as Record<string, unknown>;
  const raw = PATH_TOOLS.has(toolName)
    ? record.file_path
    : SEARCH_TOOLS.has(toolName)
      ? (record.path ?? '.')
      : undefined;
  if (typeof raw !== 'string' || raw === '') return undefined;
  const absolute = path.resolve(workspace, raw);
  const relative = path.relative(workspace, absolute).split(path.sep).join('/');
  return { absolute, relative: relative === '' ? '.' : relative };
}

/**
 * Path specifiers follow Claude Code: `//abs/path` is absolute, `~/x` is under the home
 * directory, `/x` and `x` are relative to the workspace; a pattern without a slash matches the
 * file name at any depth (as in .gitignore).
 */
function pathMatches(specifier: string, target: TargetPath): boolean {
  const options = { dot: true };
  if (specifier.startsWith('//')) return picomatch(specifier.slice(1), options)(target.absolute);
  if (specifier.startsWith('~/'))
    return picomatch(path.join(homedir(), specifier.slice(2)), options)(target.absolute);
  const relativePattern = specifier.replace(/^\.?\//, '');
  if (target.relative.startsWith('..')) return false;
  const matcher = picomatch(relativePattern, { ...options, basename: !relativePattern.includes('/') });
  // A rule on a directory (`Read(secrets/**)`) also covers a search rooted at that directory.
  return (
    matcher(target.relative) ||
    matcher(`${target.relative}/`) ||
    (relativePattern.endsWith('/**') && picomatch(relativePattern.slice(0, -3), options)(target.relative))
  );
}

function commandOf(input: unknown): string {
  if (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as { command?: unknown }).command === 'string'
  ) {
    return (input as { command: string }).command;
  }
  return '';
}

function refuse(reason: string): PermissionDecision {
  return { allowed: false, reason };
}
