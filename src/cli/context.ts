/**
 * Things every command needs: where the project is, where its state lives, and how to talk to
 * the user (stderr for humans, stdout for the result only).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors/index.js';
import { parseBoundedArgs } from '../script/index.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (line: string) => void;
  readonly stdinIsTty: boolean;
  readonly stderrIsTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export const processIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (line) => process.stderr.write(`${line}\n`),
  stdinIsTty: Boolean(process.stdin.isTTY),
  stderrIsTty: Boolean(process.stderr.isTTY),
  env: process.env,
  cwd: process.cwd(),
});

/** The git root above `cwd`, else `cwd` itself. */
export function findProjectRoot(cwd: string): string {
  let current = path.resolve(cwd);
  for (;;) {
    if (existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return path.resolve(cwd);
    current = parent;
  }
}

/** `--args`: JSON when it parses, else the raw string (as Claude Code passes it). */
export function parseArgsFlag(raw: string | undefined): unknown {
  return raw === undefined ? undefined : parseBoundedArgs(raw);
}

export function parsePositiveInteger(flag: string) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number <= 0) {
      throw new UsageError('USAGE', `${flag} must be a positive integer, got "${value}"`);
    }
    return number;
  };
}

export function parsePort(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65_535) {
    throw new UsageError('USAGE', `--port must be 0 (any free port) or a port number, got "${value}"`);
  }
  return number;
}

export function parsePositiveNumber(flag: string) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) {
      throw new UsageError('USAGE', `${flag} must be a positive number, got "${value}"`);
    }
    return number;
  };
}

/** The run limits the user set with flags; the ones not given keep their defaults. */
export function limitsFromFlags(flags: {
  readonly concurrency?: number | undefined;
  readonly maxAgents?: number | undefined;
  readonly budget?: number | undefined;
  readonly maxCost?: number | undefined;
}): { concurrency?: number; maxAgents?: number; budgetTokens?: number; maxCostUsd?: number } {
  return {
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
    ...(flags.maxAgents !== undefined ? { maxAgents: flags.maxAgents } : {}),
    ...(flags.budget !== undefined ? { budgetTokens: flags.budget } : {}),
    ...(flags.maxCost !== undefined ? { maxCostUsd: flags.maxCost } : {}),
  };
}
