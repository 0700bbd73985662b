/**
 * CLI-*: the `dynaflow` command as users run it: stdout carries only the result, the first
 * stderr line is `run <id>`, and exit codes follow SPEC §3.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

let stateDir: string;
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'dynaflow-cli-'));
  stateDir = path.join(scratch, 'state');
});
afterAll(() => {});

function script(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

describe('dynaflow run', () => {
  it('CLI-01 stdout is only the result JSON; the first stderr line is `run <id>`', async () => {
    const result = await runCli([
      'run',
      'examples/review.workflow.js',
      '--provider',
      'sim',
      '--yes',
      '--args',
      '{"files":["a.ts","b.ts"]}',
      '--state-dir',
      stateDir,
    ]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { file: string }[];
    expect(parsed.map((r) => r.file)).toEqual(['a.ts', 'b.ts']);
    expect(result.stderr.split('\n')[0]).toMatch(/^run wf_[a-z0-9-]+$/);
  });

  it('CLI-02 without a TTY and without --yes it refuses with exit 4 and sends no request', async () => {
    const result = await runCli([
      'run',
      'examples/review.workflow.js',
      '--provider',
      'sim',
      '--args',
      '{"files":["a.ts"]}',
      '--state-dir',
      stateDir,
    ]);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/^run wf_/m);
  });

  it('CLI-03 a missing key for the anthropic provider is exit 2 naming ANTHROPIC_API_KEY', async () => {
    const result = await runCli([
      'run',
      'examples/review.workflow.js',
      '--yes',
      '--provider',
      'anthropic',
      '--state-dir',
      stateDir,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ANTHROPIC_API_KEY');
    expect(result.stdout).toBe('');
  });

  it('CLI-04 a script that throws exits 1 with file:line', async () => {
    const file = script(
      'throws.workflow.js',
      "export const meta = { name: 'x', description: 'y' }\nthrow new Error('broken on purpose')\n",
    );
    const result = await runCli(['run', file, '--provider', 'sim', '--yes', '--state-dir', stateDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:2:`);
    expect(result.stderr).toContain('broken on purpose');
  });

  it('CLI-05 invalid args against meta.inputSchema exit 2 naming the field', async () => {
    const file = script(
      'schema.workflow.js',
      "export const meta = { name: 'x', description: 'y', inputSchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } }\nreturn args.n\n",
    );
    const result = await runCli([
      'run',
      file,
      '--provider',
      'sim',
      '--yes',
      '--args',
      '{"n":"seven"}',
      '--state-dir',
      stateDir,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\/n|n\b/);
  });

  it('CLI-06 an exhausted budget exits 3 and says how to resume', async () => {
    const file = script(
      'budget.workflow.js',
      "export const meta = { name: 'x', description: 'y' }\nfor (let i = 0; i < 5; i++) await agent('step ' + i + '\\n@sim tokens 5 100')\nreturn 1\n",
    );
    const result = await runCli([
      'run',
      file,
      '--provider',
      'sim',
      '--yes',
      '--budget',
      '150',
      '--state-dir',
      stateDir,
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/dynaflow resume wf_/);
  });

  it('CLI-07 a script-level infinite loop ends with a clear error and exit 1, never a hang', async () => {
    const file = script(
      'loop.workflow.js',
      "export const meta = { name: 'x', description: 'y' }\nwhile (true) {}\n",
    );
    const result = await runCli(['run', file, '--provider', 'sim', '--yes', '--state-dir', stateDir], {
      env: { DYNAFLOW_SCRIPT_CPU_MS: '300' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SANDBOX_CPU_LIMIT');
  });
});

describe('dynaflow validate', () => {
  it('CLI-10 reports a syntax error as file:line:col and exits 2', async () => {
    const file = script(
      'broken.workflow.js',
      "export const meta = { name: 'x', description: 'y' }\nconst a = 1\n\nconst b = (;\n",
    );
    const result = await runCli(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+ `));
  });

  it('CLI-11 warns about promises passed to parallel() but exits 0', async () => {
    const file = script(
      'warn.workflow.js',
      "export const meta = { name: 'x', description: 'y' }\nawait parallel([agent('a'), agent('b')])\n",
    );
    const result = await runCli(['validate', file]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: .*thunk/);
  });

  it('CLI-12 a meta without description is an error at its line', async () => {
    const file = script('meta.workflow.js', "export const meta = {\n  name: 'x',\n}\nreturn 1\n");
    const result = await runCli(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/description/);
  });
});

describe('dynaflow sim', () => {
  /** Starts `dynaflow sim ARGS` and returns its URL from the first stdout line; stopped after the test. */
  async function startSim(
    args: readonly string[],
  ): Promise<{ firstLine: string; url: string; stop(): void }> {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./helpers/cli.js');
    const child = spawn(process.execPath, [BIN, 'sim', '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const firstLine = await new Promise<string>((resolve) => {
      let buffer = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        if (buffer.includes('\n')) resolve(buffer.split('\n')[0] ?? '');
      });
    });
    return { firstLine, url: firstLine.replace('listening ', ''), stop: () => child.kill('SIGTERM') };
  }

  it('CLI-20 prints `listening http://127.0.0.1:PORT` first and serves /v1/models', async () => {
    const sim = await startSim(['--seed', '3']);
    try {
      expect(sim.firstLine).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+$/);
      const models = (await (await fetch(`${sim.url}/v1/models`)).json()) as { data: { id: string }[] };
      expect(models.data.map((m) => m.id)).toContain('claude-sonnet-5-5');
    } finally {
      sim.stop();
    }
  });

  it('CLI-21 --rpm makes the simulator answer 429 with retry-after once the minute is used up', async () => {
    const sim = await startSim(['--rpm', '2']);
    try {
      const send = (): Promise<Response> =>
        fetch(`${sim.url}/v1/messages`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-api-key': 'test',
            'anthropic-version': '2023-06-01',
          },
          body: JSON.stringify({
            model: 'claude-sonnet-5-5',
            max_tokens: 100,
            messages: [{ role: 'user', content: 'hello' }],
          }),
        });
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await send();
        statuses.push(response.status);
        if (response.status === 429) limited = response;
        await response.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
      const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { rateLimited: number };
      expect(stats.rateLimited).toBe(1);
    } finally {
      sim.stop();
    }
  });

  it('CLI-22 a rate limit that is not a positive integer is a usage error naming the limit', async () => {
    const result = await runCli(['sim', '--rpm', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/requestsPerMinute/);
  });
});
