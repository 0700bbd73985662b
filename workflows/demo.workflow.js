export const meta = {
  name: 'demo',
  description: 'Map a codebase, review each module with two adversarial verifiers per finding, and report',
  whenToUse: 'To see dynaflow fan work out to many agents; runs against the simulator',
  phases: [
    { title: 'Map', detail: 'one agent lists the modules worth reviewing' },
    { title: 'Review', detail: 'one reviewer per module, then two verifiers per finding' },
    { title: 'Report', detail: 'one agent writes the summary' },
  ],
};

const MODULES = {
  type: 'object',
  required: ['modules'],
  properties: {
    modules: { type: 'array', minItems: 1, items: { type: 'string' } },
  },
};

const FINDINGS = {
  type: 'object',
  required: ['findings'],
  properties: {
    findings: {
      type: 'array',
      minItems: 1,
      maxItems: 2,
      items: {
        type: 'object',
        required: ['title', 'severity', 'line'],
        properties: {
          title: { type: 'string' },
          severity: { type: 'string', enum: ['low', 'medium', 'high'] },
          line: { type: 'integer', minimum: 1, maximum: 400 },
        },
      },
    },
  },
};

const VERDICT = {
  type: 'object',
  required: ['holds'],
  properties: { holds: { type: 'boolean' }, reason: { type: 'string' } },
};

const files = args?.files ?? [];

phase('Map');
const map = await agent(
  `List the modules among these files that deserve a review: ${files.join(', ')}\n@sim json ${JSON.stringify({ modules: files })}`,
  { label: 'map', schema: MODULES },
);
log(`${map.modules.length} modules to review`);

phase('Review');
const reviews = await pipeline(
  map.modules,
  (file) =>
    agent(`Review ${file} for correctness bugs. Report each finding with its line.`, {
      label: `review:${file}`,
      phase: 'Review',
      schema: FINDINGS,
    }),
  (review, file) =>
    parallel(
      review.findings.flatMap((finding, n) => [
        () =>
          agent(`Try to refute finding "${finding.title}" in ${file}:${finding.line}.`, {
            label: `verify-a:${file}#${n}`,
            phase: 'Review',
            schema: VERDICT,
          }),
        () =>
          agent(`Independently check whether "${finding.title}" in ${file}:${finding.line} is real.`, {
            label: `verify-b:${file}#${n}`,
            phase: 'Review',
            schema: VERDICT,
          }),
      ]),
    ).then((verdicts) =>
      review.findings
        .filter((_, n) => verdicts[2 * n]?.holds && verdicts[2 * n + 1]?.holds)
        .map((f) => ({ file, ...f })),
    ),
);
const confirmed = reviews.filter(Boolean).flat();
log(`${confirmed.length} findings survived both verifiers`);

phase('Report');
const summary = await agent(
  `Write a three-line summary of these confirmed findings for the team:\n${JSON.stringify(confirmed)}`,
  { label: 'report' },
);

return { reviewed: map.modules.length, confirmed, summary, spentOutputTokens: budget.spent() };
