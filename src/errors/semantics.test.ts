import { describe, expect, it } from 'vitest';

import {
  DynaflowError,
  ERROR_SEMANTICS,
  EXIT,
  JournalError,
  LimitError,
  ProviderError,
  exitCodeFor,
  semanticsOf,
  type ErrorCode,
  type ErrorSemantics,
} from './index.js';

const codes = Object.keys(ERROR_SEMANTICS) as ErrorCode[];
const exitCodes: readonly number[] = Object.values(EXIT);

describe('ERROR_SEMANTICS', () => {
  it('gives every code an exit code the CLI documents, never "done"', () => {
    for (const code of codes) {
      const { exitCode } = semanticsOf(code);
      expect(exitCodes, code).toContain(exitCode);
      expect(exitCode, code).not.toBe(EXIT.done);
    }
  });

  it('is complete by type: a table missing a code does not compile', () => {
    // @ts-expect-error -- every ErrorCode but USAGE is missing a row
    const incomplete: Record<ErrorCode, ErrorSemantics> = { USAGE: semanticsOf('USAGE') };
    expect(Object.keys(incomplete)).toEqual(['USAGE']);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('keeps the columns consistent with each other', () => {
    for (const code of codes) {
      const row = semanticsOf(code);
      // An exhausted run exits 3 and an interrupted one 130, and back: the CLI prints "resume with" for both.
      expect(row.runStatus === 'exhausted', code).toBe(row.exitCode === EXIT.exhausted);
      expect(row.runStatus === 'interrupted', code).toBe(row.exitCode === EXIT.interrupted);
      // A halt stops every agent in flight: they are the run's victims, so resume runs them again;
      // and the user has to fix the cause first, which the hint says how.
      if (row.haltsRun) {
        expect(row.interruptsCall, code).toBe(true);
        expect(row.hintRequired, code).toBe(true);
      }
      // A ceiling is raised by a flag the hint names.
      if (row.runStatus === 'exhausted') expect(row.hintRequired, code).toBe(true);
    }
  });

  it("pins today's mapping of the codes that stop a run", () => {
    const pinned = (code: ErrorCode): unknown => {
      const { exitCode, runStatus, interruptsCall, haltsRun } = semanticsOf(code);
      return [exitCode, runStatus, interruptsCall, haltsRun];
    };
    expect(pinned('BUDGET_EXHAUSTED')).toEqual([3, 'exhausted', true, false]);
    expect(pinned('COST_EXHAUSTED')).toEqual([3, 'exhausted', true, false]);
    expect(pinned('AGENT_CAP_REACHED')).toEqual([3, 'exhausted', false, false]);
    expect(pinned('PROVIDER_BILLING')).toEqual([3, 'exhausted', true, true]);
    expect(pinned('PROVIDER_CREDENTIALS_MISSING')).toEqual([2, 'failed', true, true]);
    expect(pinned('RUN_CANCELLED')).toEqual([130, 'interrupted', true, false]);
    expect(pinned('NOT_APPROVED')).toEqual([4, 'failed', false, false]);
    expect(pinned('RUN_LOCKED')).toEqual([2, 'failed', false, false]);
    expect(pinned('SCHEMA_TOO_LARGE')).toEqual([2, 'failed', false, false]);
    expect(pinned('SCRIPT_THREW')).toEqual([1, 'failed', false, false]);
    expect(pinned('PROVIDER_RATE_LIMITED')).toEqual([1, 'failed', false, false]);
    expect(pinned('TOOL_FAILED')).toEqual([1, 'failed', false, false]);
  });

  it('requires a hint of every error that stops a run until the user acts', () => {
    expect(codes.filter((code) => semanticsOf(code).hintRequired).sort()).toEqual([
      'AGENT_CAP_REACHED',
      'BUDGET_EXHAUSTED',
      'COST_EXHAUSTED',
      'JOURNAL_CORRUPT',
      'JOURNAL_TOO_NEW',
      'PROVIDER_BILLING',
      'PROVIDER_CREDENTIALS_MISSING',
      'RUN_LOCKED',
      'RUN_NOT_FOUND',
      'RUN_NOT_RESUMABLE',
      'SCRIPT_CHANGED',
    ]);
  });

  it('treats a code cast from outside the union as an ordinary failure', () => {
    expect(semanticsOf('NOT_A_CODE' as ErrorCode)).toEqual(semanticsOf('SCRIPT_THREW'));
    expect(semanticsOf('toString' as ErrorCode)).toEqual(semanticsOf('SCRIPT_THREW'));
  });
});

describe('exitCodeFor', () => {
  it("reads the error's row, and maps anything else to 1", () => {
    expect(exitCodeFor(new LimitError('COST_EXHAUSTED', 'spent'))).toBe(EXIT.exhausted);
    expect(exitCodeFor(new ProviderError('MODEL_UNKNOWN', 'no such model'))).toBe(EXIT.usage);
    expect(exitCodeFor(new JournalError('JOURNAL_TOO_NEW', 'newer'))).toBe(EXIT.usage);
    expect(exitCodeFor(new DynaflowError('NOT_APPROVED', 'declined'))).toBe(EXIT.notApproved);
    expect(exitCodeFor(new LimitError('RUN_CANCELLED', 'stopped'))).toBe(EXIT.interrupted);
    expect(exitCodeFor(new Error('plain'))).toBe(EXIT.scriptThrew);
    expect(exitCodeFor('a string')).toBe(EXIT.scriptThrew);
  });
});
