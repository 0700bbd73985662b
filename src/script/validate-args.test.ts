import { describe, expect, it } from 'vitest';
import { DynaflowError } from '../errors/index.js';
import { validateArgs, type WorkflowMeta } from './index.js';

const meta: WorkflowMeta = {
  name: 'triage',
  description: 'd',
  inputSchema: {
    type: 'object',
    required: ['files'],
    properties: {
      files: { type: 'array', items: { type: 'string' } },
      options: { type: 'object', properties: { 'dry run': { type: 'boolean' } } },
      email: { type: 'string', format: 'email' },
    },
  },
};

function failure(args: unknown): DynaflowError {
  try {
    validateArgs(meta, args);
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected ARGS_INVALID');
}

describe('validateArgs', () => {
  it('accepts matching args and anything when there is no schema', () => {
    expect(() => validateArgs(meta, { files: ['a.ts'] })).not.toThrow();
    expect(() => validateArgs({ name: 'x', description: 'y' }, 'raw string')).not.toThrow();
  });

  it('names the offending field paths', () => {
    const error = failure({ files: ['a', 3], options: { 'dry run': 'yes' }, email: 'nope' });
    expect(error.code).toBe('ARGS_INVALID');
    expect(error.message).toContain('args.files[1]');
    expect(error.message).toContain('args.options["dry run"]');
    expect(error.message).toContain('args.email');
  });

  it('names a missing required field', () => {
    expect(failure({}).message).toContain('args.files is required');
    expect(failure({ files: 'a.ts' }).message).toContain('args.files must be array');
  });

  it('no args at all is left to the script (SPEC §1: `if (!args?.files?.length) return …`)', () => {
    expect(() => validateArgs(meta, undefined)).not.toThrow();
    expect(failure(null).code).toBe('ARGS_INVALID');
  });
});
