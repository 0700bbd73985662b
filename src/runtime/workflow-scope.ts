/**
 * The scope tree of a run's scripts: the root script's scope and the child workflows that its
 * `workflow()` calls start, each in its own sandbox with its own call-key namespace and seed.
 */
import { createHash } from 'node:crypto';
import { ScriptError } from '../errors/index.js';
import { runInSandbox, type JsonValue, type SandboxLimits } from '../sandbox/index.js';
import { validateArgs, type LoadedScript } from '../script/index.js';
import { CallKeyAllocator } from './call-identity.js';
import type { RunState } from './run-state.js';
import { createScriptHost, type HostScope } from './script-host.js';

/**
 * The root script's scope. A child's seed is derived from the run's seed and the child's namespace,
 * so its randomness is the same on every resume and differs between children.
 */
export function rootScope(
  state: RunState,
  script: LoadedScript,
  seed: number,
  sandboxLimits: Partial<SandboxLimits> | undefined,
): HostScope {
  const children = new CallKeyAllocator();
  const scope: HostScope = {
    depth: 0,
    namespace: '',
    meta: script.meta,
    runChild: async (reference, args) => {
      const child = await state.resolveWorkflow(readReference(reference));
      validateArgs(child.meta, args);
      // The child's calls live under their own prefix: `wf:<script hash>#<occurrence>/`.
      const namespace = `wf:${children.next(child.hash.slice(0, 16))}/`;
      const childScope: HostScope = { depth: 1, namespace, meta: child.meta, runChild: scope.runChild };
      const result = await runInSandbox({
        source: child.runnable,
        filename: child.path,
        args,
        seed: seed ^ hashToInt(namespace),
        host: createScriptHost(state, childScope),
        signal: state.signal,
        ...(sandboxLimits ? { limits: sandboxLimits } : {}),
      });
      return result ?? null;
    },
  };
  return scope;
}

function readReference(reference: JsonValue): string | { scriptPath: string } {
  if (typeof reference === 'string') return reference;
  if (reference && typeof reference === 'object' && !Array.isArray(reference)) {
    const scriptPath = reference['scriptPath'];
    if (typeof scriptPath === 'string') return { scriptPath };
  }
  throw new ScriptError('WORKFLOW_NOT_FOUND', 'workflow() takes a saved workflow name or { scriptPath }');
}

function hashToInt(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) & 0x7fffffff;
}
