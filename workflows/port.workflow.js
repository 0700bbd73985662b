export const meta = {
  name: 'port',
  description:
    'Port code file by file: map, port each file, two adversarial reviews, fix, then build and test until green',
  whenToUse: 'Moving code to another language, framework or API version, one file at a time',
  phases: [
    { title: 'Map', detail: 'which files to port and where each one goes' },
    { title: 'Port', detail: 'one agent per file' },
    {
      title: 'Review',
      detail: 'two adversarial reviewers per ported file, then a fix if they found problems',
    },
    { title: 'Verify', detail: 'build and test with exec(); a fixer agent per red round, bounded' },
  ],
  inputSchema: {
    type: 'object',
    required: ['to'],
    properties: {
      to: { type: 'string' },
      from: { type: 'string' },
      files: { type: 'array', items: { type: 'string' } },
      build: { type: 'string' },
      test: { type: 'string' },
      maxRounds: { type: 'integer', minimum: 1 },
    },
  },
};

const MAP = {
  type: 'object',
  required: ['files'],
  properties: {
    files: {
      type: 'array',
      items: {
        type: 'object',
        required: ['source', 'target'],
        properties: { source: { type: 'string' }, target: { type: 'string' } },
      },
    },
  },
};

const PORTED = {
  type: 'object',
  required: ['target', 'summary'],
  properties: { target: { type: 'string' }, summary: { type: 'string' } },
};

const REVIEW = {
  type: 'object',
  required: ['approve', 'problems'],
  properties: { approve: { type: 'boolean' }, problems: { type: 'array', items: { type: 'string' } } },
};

const FIXED = {
  type: 'object',
  required: ['fixed', 'summary'],
  properties: { fixed: { type: 'boolean' }, summary: { type: 'string' } },
};

const target = args.to;
const origin = args.from ? ` from ${args.from}` : '';
const buildCommand = args.build ?? 'npm run build';
const testCommand = args.test ?? 'npm test';
const maxRounds = args.maxRounds ?? 3;

phase('Map');
const mapped = args.files
  ? { files: args.files.map((source) => ({ source, target: source })) }
  : await agent(
      `Plan a port${origin} to ${target}. List the files to port, in dependency order (leaves first), ` +
        'each with the path it should have afterwards (the same path when ported in place).',
      { label: 'map', schema: MAP, agentType: 'Explore' },
    );
const files = mapped?.files ?? [];
if (files.length === 0) return { ported: 0, green: false, rounds: 0, note: 'nothing to port' };
log(`${files.length} file(s) to port to ${target}`);

const results = await pipeline(
  files,
  (file) =>
    agent(
      `Port ${file.source}${origin} to ${target}, writing ${file.target}. Keep behaviour identical; ` +
        'keep the public names; do not touch other files.',
      { label: `port:${file.source}`, phase: 'Port', schema: PORTED },
    ),
  (ported, file) =>
    parallel([
      () =>
        agent(
          `Review the port of ${file.source} to ${ported.target} (${target}) adversarially for behaviour changes: ` +
            'compare both versions line by line; list every difference in behaviour.',
          { label: `review-behaviour:${file.source}`, phase: 'Review', schema: REVIEW, agentType: 'Explore' },
        ),
      () =>
        agent(
          `Review ${ported.target} adversarially as an expert in ${target}: unidiomatic code, unsafe types, ` +
            'missing error handling, anything that would not pass a strict review.',
          { label: `review-idiom:${file.source}`, phase: 'Review', schema: REVIEW, agentType: 'Explore' },
        ),
    ]).then((reviews) => ({
      file,
      ported,
      problems: reviews.flatMap((review) => (review ? review.problems : [])),
    })),
  (reviewed) =>
    reviewed.problems.length === 0
      ? { ...reviewed, fixed: true }
      : agent(
          `Fix these problems in ${reviewed.ported.target} (a port of ${reviewed.file.source} to ${target}):\n- ` +
            reviewed.problems.join('\n- '),
          { label: `fix:${reviewed.file.source}`, phase: 'Review', schema: FIXED },
        ).then((fix) => ({ ...reviewed, fixed: fix?.fixed === true })),
);
const ported = results.filter(Boolean);

phase('Verify');
let green = false;
let rounds = 0;
while (!green && rounds < maxRounds) {
  rounds += 1;
  const build = await exec(buildCommand);
  const test = build.code === 0 ? await exec(testCommand) : null;
  green = build.code === 0 && test !== null && test.code === 0;
  if (green) break;
  const failing = build.code !== 0 ? build : test;
  log(`round ${rounds}: ${build.code !== 0 ? 'build' : 'tests'} failed`);
  if (rounds === maxRounds) break;
  await agent(
    `The ${build.code !== 0 ? 'build' : 'tests'} fail after porting to ${target}. Fix the ported files ` +
      `(${ported.map((entry) => entry.ported.target).join(', ')}), not the tests. Output (tail):\n` +
      `${(failing.stdout + failing.stderr).slice(-4000)}`,
    { label: `refine:${rounds}`, phase: 'Verify' },
  );
}
log(green ? `green after ${rounds} round(s)` : `still red after ${rounds} round(s)`);

return {
  ported: ported.length,
  reviewedWithProblems: ported.filter((entry) => entry.problems.length > 0).length,
  green,
  rounds,
};
