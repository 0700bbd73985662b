/**
 * OS-*: the OS sandbox end to end — exec() and agents' Bash share the one shell runner and its
 * sandbox, stdio MCP servers start inside it, and the CLI's `--no-sandbox`, `doctor`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { BehaviourRequest } from '../src/sim/index.js';
import { agentHarness, createProject, META, recorder, type Project } from './helpers/agent-project.js';
import { runCli, TEST_HOME } from './helpers/cli.js';
import { REPO_ROOT, type Harness } from './helpers/harness.js';

let project: Project | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  await project?.remove();
  harness = undefined;
  project = undefined;
});

/** The text of every tool result the model was sent. */
function toolResults(requests: readonly BehaviourRequest[]): string {
  return requests.flatMap((request) => request.sim.toolResults.map((result) => result.content)).join('\n');
}

describe('exec() and Bash run in the one sandboxed runner', () => {
  it('OS-01 exec("sleep 30 & echo started") returns at once with code 0, sandboxed or not', async () => {
    for (const mode of ['auto', 'off'] as const) {
      project = await createProject({ 'a.txt': 'a\n' });
      harness = await agentHarness(project, { deps: { osSandbox: { mode } } });
      const started = Date.now();
      const outcome = await harness.runText(
        `${META}
        return await exec('sleep 30 & echo started', { timeoutMs: 3000 })`,
      );
      expect(outcome.result).toEqual({ code: 0, stdout: 'started\n', stderr: '' });
      // Before, the runner waited for the sleep's pipe: the full 3 s, then a timeout.
      expect(Date.now() - started).toBeLessThan(2_500);
      await harness.close();
      await project.remove();
      harness = undefined;
      project = undefined;
    }
  });

  it("OS-02 both exec() and an agent's Bash are sandboxed: neither writes outside the project nor reads the journal", async () => {
    project = await createProject({ 'a.txt': 'a\n' });
    const parent = path.dirname(project.root);
    const behaviour = recorder('sandboxed bash');
    harness = await agentHarness(project, { behaviour });
    const bashCommand = 'echo x > ../bash-outside; echo x > inside-bash.txt; ls .dynaflow | wc -l';
    const outcome = await harness.runText(
      `${META}
      const viaExec = await exec('echo x > ../exec-outside; echo x > inside-exec.txt; ls .dynaflow | wc -l')
      const viaAgent = await agent(${JSON.stringify(`sandboxed bash\n@sim tool Bash ${JSON.stringify({ command: bashCommand })}\n@sim reply ok`)})
      return { viaExec, viaAgent }`,
    );
    const result = outcome.result as { viaExec: { code: number; stdout: string; stderr: string } };
    expect(result.viaExec.stderr).toMatch(/Read-only file system/);
    expect(result.viaExec.stdout.trim()).toBe('0');
    expect(toolResults(behaviour.requests)).toMatch(/Read-only file system/);
    expect(existsSync(path.join(parent, 'exec-outside'))).toBe(false);
    expect(existsSync(path.join(parent, 'bash-outside'))).toBe(false);
    expect(existsSync(path.join(project.root, 'inside-exec.txt'))).toBe(true);
    expect(existsSync(path.join(project.root, 'inside-bash.txt'))).toBe(true);
  });

  it('OS-03 a stdio MCP server starts inside the sandbox: no journal, no writes outside its directory', async () => {
    project = await createProject({ 'README.md': '# app\n' });
    const serverFile = path.join(project.home, 'probe-server.mjs');
    const moduleUrl = (relative: string): string =>
      pathToFileURL(path.join(REPO_ROOT, 'node_modules', relative)).href;
    await writeFile(
      serverFile,
      `
import { readdirSync, writeFileSync } from 'node:fs';
import { McpServer } from '${moduleUrl('@modelcontextprotocol/sdk/dist/esm/server/mcp.js')}';
import { StdioServerTransport } from '${moduleUrl('@modelcontextprotocol/sdk/dist/esm/server/stdio.js')}';
const server = new McpServer({ name: 'probe', version: '1.0.0' });
server.registerTool('probe', { description: 'What the server can reach', inputSchema: {} }, async () => {
  let wrote = 'yes';
  try { writeFileSync(process.argv[3], 'x'); } catch (error) { wrote = error.code; }
  return { content: [{ type: 'text', text: 'state entries=' + readdirSync(process.argv[2]).length + ' wrote=' + wrote }] };
});
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
`,
    );
    const outsideFile = path.join(project.home, 'written-by-server');
    await project.write(
      '.dynaflow/settings.json',
      JSON.stringify({
        mcpServers: {
          probe: { command: process.execPath, args: [serverFile, project.stateDir, outsideFile] },
        },
      }),
    );
    const behaviour = recorder('mcp probe');
    harness = await agentHarness(project, { behaviour });
    const outcome = await harness.runText(
      `${META}
      return await agent('mcp probe\\n@sim tool mcp__probe__probe {}\\n@sim reply probed')`,
    );
    expect(outcome.result).toBe('probed');
    // The journal is there for the runtime; the server sees an empty directory.
    expect(readdirSync(project.stateDir).length).toBeGreaterThan(0);
    expect(toolResults(behaviour.requests)).toContain('state entries=0 wrote=EROFS');
    expect(existsSync(outsideFile)).toBe(false);
  });
});

describe('CLI', () => {
  it('OS-04 doctor reports the OS sandbox; DYNAFLOW_SANDBOX=off says it is disabled', async () => {
    const on = await runCli(['doctor']);
    expect(on.code).toBe(0);
    expect(on.stdout).toMatch(
      /^sandbox +commands sandboxed \(bubblewrap\): network off, writes only in the workspace$/m,
    );
    expect(on.stdout).toMatch(/^node +v\d+/m);
    const off = await runCli(['doctor'], { env: { DYNAFLOW_SANDBOX: 'off' } });
    expect(off.stdout).toMatch(/^sandbox +sandbox disabled \(--no-sandbox\)/m);
  });

  it('OS-05 run sandboxes exec() by default (~/.ssh reads empty); --no-sandbox turns it off', async () => {
    project = await createProject({
      'peek.workflow.js': `${META}return (await exec('cat ~/.ssh/id_rsa; echo x > ../peek-outside')).stdout`,
    });
    await mkdir(path.join(TEST_HOME, '.ssh'), { recursive: true });
    await writeFile(path.join(TEST_HOME, '.ssh', 'id_rsa'), 'PLANTED-SSH-KEY');
    const sandboxed = await runCli(['run', 'peek.workflow.js', '--yes', '--provider', 'sim', '--quiet'], {
      cwd: project.root,
    });
    expect(sandboxed.stderr).toMatch(/^done /m);
    expect(sandboxed.stdout).not.toContain('PLANTED-SSH-KEY');
    expect(existsSync(path.join(path.dirname(project.root), 'peek-outside'))).toBe(false);
    const bare = await runCli(
      ['run', 'peek.workflow.js', '--yes', '--provider', 'sim', '--quiet', '--no-sandbox'],
      {
        cwd: project.root,
      },
    );
    expect(bare.stdout).toContain('PLANTED-SSH-KEY');
    expect(existsSync(path.join(path.dirname(project.root), 'peek-outside'))).toBe(true);
  });
});
