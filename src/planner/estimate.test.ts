/**
 * PL-5*: the estimate's rules: output ranges from schema size and max_tokens, phases in meta
 * order (empty ones kept), agents outside any phase grouped, costs from the price table.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../runtime/index.js';
import { ZERO_USAGE } from '../providers/index.js';
import { isRemembered, rememberApproval, ultracodeEnabled } from './approvals.js';
import { estimatePlan, NO_PHASE, outputRange } from './estimate.js';
import type { Rehearsal, RehearsedCall } from './rehearsal.js';

const call = (overrides: Partial<RehearsedCall>): RehearsedCall => ({
  kind: 'agent',
  label: 'a',
  phase: null,
  model: 'claude-sonnet-4-5',
  status: 'done',
  usage: { ...ZERO_USAGE, inputTokens: 1_000, outputTokens: 10 },
  schema: undefined,
  worktree: false,
  command: undefined,
  ...overrides,
});

const rehearsal = (calls: RehearsedCall[]): Rehearsal => ({
  status: 'done',
  error: undefined,
  result: null,
  calls,
  commands: [],
  phases: [],
  warnings: [],
  logs: [],
  maxTokens: 16_384,
  limits: {},
  simulatedRequests: calls.length,
});

describe('estimate', () => {
  it('PL-50 output ranges: schema agents scale with the schema, text agents are wider, both capped by max_tokens', () => {
    const small = outputRange(
      call({ schema: { type: 'object', properties: { ok: { type: 'boolean' } } } }),
      16_384,
    );
    const text = outputRange(call({}), 16_384);
    expect(small.low).toBeLessThan(small.high);
    expect(text.high).toBeGreaterThan(small.high);
    expect(outputRange(call({}), 500)).toEqual({ low: 150, high: 500 });
  });

  it('PL-51 phases follow meta order, keep empty meta phases, and group phase-less agents', () => {
    const plan = estimatePlan(
      { name: 'x', description: 'y', phases: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] },
      rehearsal([
        call({ phase: 'B' }),
        call({ phase: 'B' }),
        call({ phase: null }),
        call({ phase: 'A', worktree: true }),
      ]),
      DEFAULT_LIMITS,
    );
    expect(plan.phases.map((phase) => [phase.title, phase.agents])).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', 0],
      [NO_PHASE, 1],
    ]);
    expect(plan.total.agents).toBe(4);
    expect(plan.worktreeAgents).toBe(1);
    // 1,000 input tokens per agent at $3 per million (sonnet) is $0.003 each before output.
    expect(plan.total.costUsd.low).toBeGreaterThan(4 * 0.003);
    expect(plan.total.costUsd.high).toBeGreaterThan(plan.total.costUsd.low);
  });
});

describe('approvals', () => {
  it('PL-52 remembering is per project, pinned to the script hash, and lives in the home folder', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-approvals-'));
    const other = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-approvals-'));
    const home = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-home-'));
    rememberApproval(root, 'x', 'hash-1', home);
    expect(isRemembered(root, 'x', 'hash-1', home)).toBe(true);
    expect(isRemembered(root, 'x', 'hash-2', home)).toBe(false);
    expect(isRemembered(root, 'y', 'hash-1', home)).toBe(false);
    expect(isRemembered(other, 'x', 'hash-1', home)).toBe(false);
    // A repository that commits the earlier project-local form approves nothing.
    mkdirSync(path.join(other, '.dynaflow'), { recursive: true });
    writeFileSync(
      path.join(other, '.dynaflow', 'settings.local.json'),
      JSON.stringify({ approvedWorkflows: { x: 'hash-1' } }),
    );
    expect(isRemembered(other, 'x', 'hash-1', home)).toBe(false);
  });

  it('PL-53 "ultracode": the project setting wins over the personal one', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-uc-'));
    const home = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-home-'));
    expect(ultracodeEnabled(root, home)).toBe(false);
    mkdirSync(path.join(home, '.dynaflow'), { recursive: true });
    writeFileSync(path.join(home, '.dynaflow', 'settings.json'), '{ "ultracode": true }');
    expect(ultracodeEnabled(root, home)).toBe(true);
    mkdirSync(path.join(root, '.dynaflow'), { recursive: true });
    writeFileSync(path.join(root, '.dynaflow', 'settings.json'), '{ "ultracode": false, "model": "opus" }');
    expect(ultracodeEnabled(root, home)).toBe(false);
  });
});
