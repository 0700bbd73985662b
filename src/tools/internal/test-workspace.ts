/** Test helper: a temporary workspace directory and a ToolContext for it. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { AgentTool, ToolContext, ToolResult } from '../../agent/types.js';

export interface TestWorkspace {
  readonly root: string;
  readonly context: ToolContext;
  write(file: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

export async function createTestWorkspace(prefix = 'dynaflow-tools-'): Promise<TestWorkspace> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  return {
    root,
    context: { workspace: root, signal: new AbortController().signal },
    async write(file, content) {
      const full = path.join(root, file);
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, content);
      return full;
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

export function findTool(tools: readonly AgentTool[], name: string): AgentTool {
  const tool = tools.find((candidate) => candidate.definition.name === name);
  if (!tool) throw new Error(`tool ${name} missing`);
  return tool;
}

export function codeOf(result: ToolResult): string | undefined {
  return result.isError ? /^([A-Z_]+):/.exec(result.content)?.[1] : undefined;
}
