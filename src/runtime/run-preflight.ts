/**
 * Checks made before a run starts or resumes, so a mistake fails it up front with a hint instead
 * of partway through, after agents have already run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { JournalError } from '../errors/index.js';
import type { RunRecord } from '../journal/index.js';
import type { ModelProvider } from '../providers/index.js';
import type { WorkflowMeta } from '../script/index.js';

/**
 * The run's model and every `meta.phases[].model` must name a model of this provider: a typo
 * fails the run up front (MODEL_UNKNOWN, exit 2) instead of at its first agent, after others ran.
 */
export function resolveRunModels(provider: ModelProvider, model: string, meta: WorkflowMeta): void {
  provider.resolveModel(model);
  for (const phase of meta.phases ?? []) {
    if (phase.model !== undefined) provider.resolveModel(phase.model);
  }
}

/** Resuming replays the journaled script text; an edited file means the user wants `--reuse`. */
export function ensureScriptUnchanged(run: RunRecord): void {
  if (!existsSync(run.scriptPath)) return;
  const current = createHash('sha256').update(readFileSync(run.scriptPath, 'utf8')).digest('hex');
  if (current !== run.scriptHash) {
    throw new JournalError('SCRIPT_CHANGED', `${run.scriptPath} changed since run ${run.id} started`, {
      runId: run.id,
      hint: `to run the edited script and reuse every unchanged call: dynaflow run ${run.scriptPath} --reuse ${run.id}`,
    });
  }
}
