import { UsageError } from '../../errors/index.js';

/** Throws ARGS_INVALID unless `value` is an integer >= `minimum`; `flag` names the setting to fix. */
export function requireInteger(value: number, minimum: number, what: string, flag: string): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new UsageError('ARGS_INVALID', `${what} must be an integer >= ${minimum}, got ${String(value)}.`, {
      hint: `Pass a whole number to ${flag}.`,
    });
  }
}

/** Throws ARGS_INVALID unless `value` is null (no ceiling) or a finite number >= 0. */
export function requireCeiling(value: number | null, what: string, flag: string): void {
  if (value === null) return;
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError('ARGS_INVALID', `${what} must be a number >= 0, got ${String(value)}.`, {
      hint: `Pass a non-negative number to ${flag}, or leave it out for no ceiling.`,
    });
  }
}

/** Throws ARGS_INVALID unless `value` is a finite number >= 0 (token counts, dollars). */
export function requireAmount(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError('ARGS_INVALID', `${what} must be a finite number >= 0, got ${String(value)}.`);
  }
}
