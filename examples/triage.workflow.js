export const meta = {
  name: 'triage',
  description: 'Classify and fix failing tests',
  whenToUse: 'When many tests fail independently',
  phases: [{ title: 'Classify', detail: 'one agent per failure' }, { title: 'Fix' }],
  inputSchema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string' } } } },
};

const CLASS = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { type: 'string', enum: ['flaky', 'bug', 'outdated-test'] }, why: { type: 'string' } },
};
const FIX = { type: 'object', required: ['fixed'], properties: { fixed: { type: 'boolean' } } };

if (!args?.files?.length) return { error: 'pass args.files' };

phase('Classify');
const classes = await parallel(
  args.files.map(
    (f) => () => agent(`Classify the failure of ${f}`, { label: `classify:${f}`, schema: CLASS }),
  ),
);

phase('Fix');
const fixable = args.files.filter((_, i) => classes[i] && classes[i].kind !== 'flaky');
const results = await pipeline(
  fixable,
  (f) => agent(`Fix ${f}`, { label: `fix:${f}`, schema: FIX, phase: 'Fix' }),
  (r, f) =>
    r && r.fixed
      ? agent(`Review the fix of ${f}`, { label: `review:${f}`, agentType: 'Explore', phase: 'Fix' })
      : null,
);
log(`${results.filter(Boolean).length} fixed`);
return { classified: classes.map((c, i) => ({ file: args.files[i], kind: c ? c.kind : null })), results };
