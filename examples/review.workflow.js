export const meta = {
  name: 'review',
  description: 'Review the given files, fix what reviewers find, and re-review each fix',
  whenToUse: 'A handful of changed files that each deserve an independent review',
  phases: [
    { title: 'Review', detail: 'one reviewer per file' },
    { title: 'Fix', detail: 'one fixer per file with findings' },
    { title: 'Verify', detail: 'an Explore agent re-reads each fix' },
  ],
};

const REVIEW = {
  type: 'object',
  required: ['file', 'issues'],
  properties: {
    file: { type: 'string' },
    issues: {
      type: 'array',
      maxItems: 3,
      items: {
        type: 'object',
        required: ['summary', 'severity'],
        properties: {
          summary: { type: 'string' },
          severity: { type: 'string', enum: ['nit', 'minor', 'major'] },
        },
      },
    },
  },
};

const FIX = {
  type: 'object',
  required: ['fixed'],
  properties: { fixed: { type: 'boolean' }, note: { type: 'string' } },
};

if (!args?.files?.length) return { error: 'pass args.files, e.g. --args \'{"files":["a.ts"]}\'' };

const results = await pipeline(
  args.files,
  (file) =>
    agent(`Review ${file}. List concrete issues only.`, {
      label: `review:${file}`,
      phase: 'Review',
      schema: REVIEW,
    }),
  (review, file) =>
    review.issues.length === 0
      ? { file, fixed: false, issues: 0 }
      : agent(
          `Fix these issues in ${file}:\n${review.issues.map((i) => `- [${i.severity}] ${i.summary}`).join('\n')}`,
          {
            label: `fix:${file}`,
            phase: 'Fix',
            schema: FIX,
          },
        ).then((fix) => ({ file, fixed: fix.fixed, issues: review.issues.length })),
  (outcome, file) =>
    outcome.fixed
      ? agent(`Re-read ${file} and confirm the fix is sound. Answer in one sentence.`, {
          label: `verify:${file}`,
          phase: 'Verify',
          agentType: 'Explore',
        }).then((verdict) => ({ ...outcome, verdict }))
      : outcome,
);

log(`${results.filter((r) => r && r.fixed).length} of ${args.files.length} files fixed`);
return results;
