export const meta = {
  name: 'optimize',
  description:
    'Find waste (needless copies, repeated work, N+1 calls) and give each finding its own branch with a verified change',
  whenToUse: 'When the code is correct but slow or wasteful, and you want independent, reviewable changes',
  phases: [
    { title: 'Find', detail: 'one agent lists concrete waste, with evidence' },
    { title: 'Change', detail: 'one worktree agent (own branch) per finding: change, then verify' },
    { title: 'Check', detail: 'an independent reviewer per change' },
  ],
  inputSchema: {
    type: 'object',
    properties: {
      focus: { type: 'string' },
      maxFindings: { type: 'integer', minimum: 1 },
      verify: { type: 'string' },
    },
  },
};

const FINDINGS = {
  type: 'object',
  required: ['findings'],
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['title', 'file', 'evidence'],
        properties: {
          title: { type: 'string' },
          file: { type: 'string' },
          evidence: { type: 'string' },
        },
      },
    },
  },
};

const CHANGE = {
  type: 'object',
  required: ['changed', 'verified', 'summary'],
  properties: {
    changed: { type: 'boolean' },
    verified: { type: 'boolean' },
    summary: { type: 'string' },
  },
};

const CHECK = {
  type: 'object',
  required: ['sound', 'reason'],
  properties: { sound: { type: 'boolean' }, reason: { type: 'string' } },
};

const verify = args?.verify ?? 'npm test';
const focus = args?.focus ? ` Focus on: ${args.focus}.` : '';

phase('Find');
const found = await agent(
  'Find waste in this codebase: unnecessary copies of large data, repeated computation that could be cached, ' +
    `N+1 queries or requests, needless serialisation, work inside loops that could be hoisted.${focus} ` +
    'Give each finding the file and concrete evidence (the lines involved). Only findings worth a change.',
  { label: 'find', schema: FINDINGS, agentType: 'Explore' },
);
const findings = (found?.findings ?? []).slice(0, args?.maxFindings ?? 5);
log(`${findings.length} finding(s) to work on`);

const changes = await pipeline(
  findings,
  (finding, _, n) =>
    agent(
      `Remove this waste in ${finding.file}: ${finding.title}\nEvidence: ${finding.evidence}\n` +
        `Keep behaviour identical. Then run \`${verify}\`; verified=true only if it passes.`,
      { label: `change:${n + 1}`, phase: 'Change', schema: CHANGE, isolation: 'worktree' },
    ),
  (change, finding, n) =>
    change.changed && change.verified
      ? agent(
          `An agent changed ${finding.file} to fix "${finding.title}": ${change.summary}\n` +
            'Judge whether such a change is behaviour-preserving and worth it. sound=true only if both.',
          { label: `check:${n + 1}`, phase: 'Check', schema: CHECK, agentType: 'Explore' },
        ).then((check) => ({ finding, change, sound: check?.sound === true }))
      : { finding, change, sound: false },
);
const kept = changes.filter((entry) => entry && entry.sound);
log(`${kept.length} verified change(s) on their own branches`);

return {
  findings: findings.length,
  kept: kept.map((entry) => ({
    title: entry.finding.title,
    file: entry.finding.file,
    summary: entry.change.summary,
  })),
};
