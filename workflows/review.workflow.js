export const meta = {
  name: 'review',
  description:
    'Review the changed files in parallel; a finding is kept only if two adversarial verifiers confirm it',
  whenToUse: 'Before merging a branch: a careful, independent review of every file it changes',
  phases: [
    {
      title: 'Collect',
      detail: 'the changed files (git diff against args.base), unless args.files names them',
    },
    { title: 'Review', detail: 'one reviewer per file, then two verifiers per finding' },
    { title: 'Report', detail: 'one agent writes the summary' },
  ],
  inputSchema: {
    type: 'object',
    properties: {
      files: { type: 'array', items: { type: 'string' } },
      base: { type: 'string' },
      focus: { type: 'string' },
    },
  },
};

const FILES = {
  type: 'object',
  required: ['files'],
  properties: { files: { type: 'array', items: { type: 'string' } } },
};

const FINDINGS = {
  type: 'object',
  required: ['findings'],
  properties: {
    findings: {
      type: 'array',
      maxItems: 8,
      items: {
        type: 'object',
        required: ['title', 'line', 'severity', 'explanation'],
        properties: {
          title: { type: 'string' },
          line: { type: 'integer', minimum: 1 },
          severity: { type: 'string', enum: ['high', 'medium', 'low'] },
          explanation: { type: 'string' },
        },
      },
    },
  },
};

const VERDICT = {
  type: 'object',
  required: ['holds', 'reason'],
  properties: { holds: { type: 'boolean' }, reason: { type: 'string' } },
};

const base = args?.base ?? 'main';
const focus = args?.focus ? ` Pay special attention to: ${args.focus}.` : '';

phase('Collect');
let files = args?.files;
if (!files) {
  const changed = await agent(
    `List the source files this branch changes compared with ${base}: run \`git diff --name-only ${base}...HEAD\` ` +
      'and `git status --porcelain`, keep files that still exist, and leave out lock files and generated files.',
    { label: 'collect', schema: FILES, agentType: 'Explore' },
  );
  files = changed?.files ?? [];
}
if (files.length === 0) return { reviewed: 0, confirmed: [], summary: 'no changed files to review' };
log(`${files.length} file(s) to review`);

phase('Review');
const perFile = await pipeline(
  files,
  (file) =>
    agent(
      `Review ${file} for bugs: wrong logic, unhandled errors, races, security problems, broken edge cases.${focus} ` +
        'Report only real defects with the line they are on; style remarks are not findings.',
      { label: `review:${file}`, phase: 'Review', schema: FINDINGS, agentType: 'Explore' },
    ),
  (review, file) =>
    parallel(
      review.findings.flatMap((finding, n) => [
        () =>
          agent(
            `A reviewer claims this defect in ${file} at line ${finding.line}: "${finding.title}" — ${finding.explanation}\n` +
              'Try hard to refute it: read the code path, callers and guards. holds=true only if you cannot refute it.',
            { label: `refute:${file}#${n}`, phase: 'Review', schema: VERDICT, agentType: 'Explore' },
          ),
        () =>
          agent(
            `Independently check whether ${file} has this defect near line ${finding.line}: "${finding.title}". ` +
              'Find a concrete input or sequence that triggers it. holds=true only if you find one.',
            { label: `reproduce:${file}#${n}`, phase: 'Review', schema: VERDICT, agentType: 'Explore' },
          ),
      ]),
    ).then((verdicts) =>
      review.findings
        .filter((_, n) => verdicts[2 * n]?.holds === true && verdicts[2 * n + 1]?.holds === true)
        .map((finding) => ({ file, ...finding })),
    ),
);
const confirmed = perFile.filter(Boolean).flat();
log(`${confirmed.length} finding(s) survived both verifiers`);

phase('Report');
const summary =
  confirmed.length === 0
    ? 'no finding survived verification'
    : await agent(
        `Write a short review summary for the author, most severe first, one line per finding with file:line:\n${JSON.stringify(confirmed)}`,
        { label: 'report' },
      );

return { reviewed: files.length, confirmed, summary };
