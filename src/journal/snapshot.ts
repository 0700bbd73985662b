/**
 * JSON snapshots of one run: a portable, reviewable form of the journal. Committed snapshots
 * (`fixtures/v1-golden.json`) must keep loading after every change; that is what guards the
 * record formats against silent drift.
 */
import { createRequire } from 'node:module';

import { JournalError } from '../errors/index.js';
import type { JournalSnapshot } from './journal-store.js';
import { CALL_STATUSES, JOURNAL_SCHEMA_VERSION } from './types.js';

export const SNAPSHOT_FORMAT = 'dynaflow-journal-snapshot';

type Zod = typeof import('zod').z;

/**
 * Built on first use: only `importRun` reads snapshots, and zod is the biggest module a CLI start
 * would otherwise load for nothing (~30 ms).
 */
let snapshotSchema: ReturnType<typeof buildSnapshotSchema> | undefined;
const loadSnapshotSchema = () =>
  (snapshotSchema ??= buildSnapshotSchema((createRequire(import.meta.url)('zod') as typeof import('zod')).z));

function buildSnapshotSchema(z: Zod) {
  const nullableText = z.string().nullable();
  const count = z.number().int().nonnegative();

  const usageSchema = z.object({
    inputTokens: count,
    outputTokens: count,
    cacheReadTokens: count,
    cacheCreationTokens: count,
  });

  const runSchema = z.object({
    schemaVersion: count,
    id: z.string().min(1),
    scriptPath: z.string(),
    scriptHash: z.string(),
    scriptText: z.string(),
    argsJson: nullableText,
    provider: z.string(),
    model: z.string(),
    limits: z.object({
      concurrency: count,
      maxAgents: count,
      budgetTokens: count.nullable(),
      maxCostUsd: z.number().nonnegative().nullable(),
    }),
    seed: z.number().int(),
    status: z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted', 'exhausted']),
    resultJson: nullableText,
    error: nullableText,
    reuseFrom: nullableText,
    createdAt: z.string(),
    updatedAt: z.string(),
  });

  const callSchema = z.object({
    schemaVersion: count,
    runId: z.string(),
    callKey: z.string().min(1),
    kind: z.enum(['agent', 'exec']),
    label: z.string(),
    phase: nullableText,
    model: nullableText,
    prompt: z.string(),
    optionsJson: z.string(),
    status: z.enum(CALL_STATUSES),
    resultJson: nullableText,
    usage: usageSchema,
    costUsd: z.number().nonnegative(),
    attempts: count,
    toolCalls: count,
    error: nullableText,
    worktree: nullableText,
    branch: nullableText,
    // Added in schema v2; snapshots written before it have none (their calls were all live).
    reusedFrom: nullableText.default(null),
    startedAt: z.string(),
    endedAt: nullableText,
  });

  const eventSchema = z.object({
    schemaVersion: count,
    runId: z.string(),
    seq: count,
    kind: z.enum(['log', 'phase', 'warning']),
    text: z.string(),
    at: z.string(),
  });

  return z.object({
    format: z.literal(SNAPSHOT_FORMAT),
    schemaVersion: count,
    run: runSchema,
    calls: z.array(callSchema),
    events: z.array(eventSchema),
  });
}

/**
 * Checks a parsed JSON value and returns it as a snapshot of the current format.
 *
 * @example
 * const snapshot = parseJournalSnapshot(JSON.parse(readFileSync('run.json', 'utf8')));
 * memoryJournal.importRun(snapshot);
 */
export function parseJournalSnapshot(value: unknown, source = 'snapshot'): JournalSnapshot {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > JOURNAL_SCHEMA_VERSION) {
    throw new JournalError(
      'JOURNAL_TOO_NEW',
      `${source} was written by a newer dynaflow (journal schema v${version}; this one reads up to v${JOURNAL_SCHEMA_VERSION}).`,
      { hint: 'Upgrade dynaflow to load it.' },
    );
  }
  const parsed = loadSnapshotSchema().safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    throw new JournalError('JOURNAL_CORRUPT', `${source} is not a valid journal snapshot${where}.`, {
      hint: 'Snapshots are written by `exportRun`; check the file was not edited or cut short.',
    });
  }
  const snapshot = parsed.data;
  const stray = [...snapshot.calls, ...snapshot.events].find((record) => record.runId !== snapshot.run.id);
  if (stray !== undefined) {
    throw new JournalError(
      'JOURNAL_CORRUPT',
      `${source} mixes runs: it holds a record of ${stray.runId} in the snapshot of ${snapshot.run.id}.`,
      { hint: 'A snapshot holds exactly one run; export each run separately.' },
    );
  }
  return snapshot;
}
