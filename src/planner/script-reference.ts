/**
 * The planner's system prompt: a compact reference of the workflow-script API (SPEC §1), so the
 * planner writes scripts that validate and run here — and in Claude Code, when it uses only the
 * shared primitives.
 */
export const SCRIPT_API_REFERENCE = `
# Writing a dynaflow workflow script

A workflow is one JavaScript file. It starts with a pure-literal meta object (no variables,
calls, spreads or template strings inside it), then a body of plain JavaScript that runs with
top-level await and a top-level return (the run's result, JSON-serialisable).

export const meta = {
  name: 'kebab-case-name',                 // the saved command name
  description: 'one line: what it does',
  whenToUse: 'one line: when to pick it',  // optional
  phases: [{ title: 'Map', detail: '…' }, { title: 'Fix' }],   // optional progress groups
  inputSchema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string' } } } },  // optional
}

Globals (nothing else exists: no import/require, no process, fs, fetch, setTimeout;
Date.now() and new Date() throw — pass timestamps in args):
- args: the value given with --args (JSON if it parses, else the raw string); undefined if none.
- agent(prompt, opts?) → Promise<string | object | null>. Runs one LLM agent (with file and shell
  tools) to completion. Returns its final text, or with opts.schema the validated object. Returns
  null when the agent fails or is skipped — always handle null. Options: label (short name),
  phase (progress group), schema (JSON Schema, root type object), model ('opus'|'sonnet'|'haiku'),
  effort ('low'|'medium'|'high'), agentType ('general-purpose' | 'Explore' = read-only),
  isolation: 'worktree' (own git worktree; its changes are merged into the run's branch).
  Agents run unattended: the prompt must contain everything they need (file paths, criteria,
  what to return). They cannot see each other or the script.
- parallel([() => agent(…), …]) → Promise<array>: runs thunks concurrently, waits for all, results
  in order; a thunk that throws gives null. Pass functions, not promises.
- pipeline(items, stage1, stage2, …) → Promise<array>: each item flows through the stages on its
  own (no barrier between stages). A stage gets (previousResult, item, index); the first stage
  gets the item. A throwing stage makes that item null.
- phase(title): later agents belong to this progress group (use meta.phases titles); inside
  concurrent stages pass opts.phase instead.
- log(message): a narrator line for the person watching.
- budget: { total, spent(), remaining() } in output tokens (total null = no ceiling).
- workflow(name, args?) → result of a saved workflow run as a sub-step (one level only).
- exec(command, { cwd?, timeoutMs? }) → { code, stdout, stderr }: a shell command without an LLM
  (build, test, lint). Use it to verify changes.
- Math.random() is seeded per run.

Good scripts: fan out with parallel()/pipeline() over concrete items (files, findings); use
schemas for anything the script reads; verify important claims with independent agents; keep the
number of agents proportionate to the task (rarely more than 50); end with a short summary agent
or return a structured result. Labels should be short and unique (e.g. \`fix:\${file}\`).

Example:

export const meta = {
  name: 'fix-lint',
  description: 'Fix lint errors file by file, then verify with the linter',
  phases: [{ title: 'Find' }, { title: 'Fix' }, { title: 'Verify' }],
}
const FILES = { type: 'object', required: ['files'], properties: { files: { type: 'array', items: { type: 'string' } } } }
phase('Find')
const found = await agent('Run the linter and list the files with errors.', { label: 'find', schema: FILES, agentType: 'Explore' })
if (!found || found.files.length === 0) return { fixed: 0 }
phase('Fix')
const fixed = await parallel(found.files.map((file) => () =>
  agent(\`Fix the lint errors in \${file} without changing behaviour.\`, { label: \`fix:\${file}\`, phase: 'Fix' })))
phase('Verify')
const lint = await exec('npm run lint')
return { fixed: fixed.filter((r) => r !== null).length, lintPasses: lint.code === 0 }
`.trim();
