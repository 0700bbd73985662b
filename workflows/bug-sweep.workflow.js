export const meta = {
  name: 'bug-sweep',
  description:
    'Sweep a codebase for bugs: classify files by risk, hunt candidates in risky ones, keep those that survive a 2-of-3 refutation vote',
  whenToUse: 'To find latent bugs across many files when you do not know where to look',
  phases: [
    { title: 'Classify', detail: 'one agent ranks the files by bug risk' },
    { title: 'Hunt', detail: 'one agent per risky file lists candidate bugs' },
    { title: 'Vote', detail: 'three skeptics per candidate; it stands if at least two cannot refute it' },
    { title: 'Report', detail: 'one agent writes the report' },
  ],
  inputSchema: {
    type: 'object',
    properties: {
      paths: { type: 'array', items: { type: 'string' } },
      maxFiles: { type: 'integer', minimum: 1 },
    },
  },
};

const CLASSIFIED = {
  type: 'object',
  required: ['files'],
  properties: {
    files: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'risk', 'reason'],
        properties: {
          path: { type: 'string' },
          risk: { type: 'string', enum: ['high', 'medium', 'low'] },
          reason: { type: 'string' },
        },
      },
    },
  },
};

const CANDIDATES = {
  type: 'object',
  required: ['candidates'],
  properties: {
    candidates: {
      type: 'array',
      maxItems: 5,
      items: {
        type: 'object',
        required: ['title', 'line', 'scenario'],
        properties: {
          title: { type: 'string' },
          line: { type: 'integer', minimum: 1 },
          scenario: { type: 'string' },
        },
      },
    },
  },
};

const VOTE = {
  type: 'object',
  required: ['refuted', 'reason'],
  properties: { refuted: { type: 'boolean' }, reason: { type: 'string' } },
};

const where = args?.paths?.length ? args.paths.join(', ') : 'the whole repository (source files only)';
const maxFiles = args?.maxFiles ?? 20;

phase('Classify');
const classified = await agent(
  `List the source files in ${where} and rate each one's bug risk (complex logic, concurrency, parsing, money, ` +
    'security boundaries and code without tests are high). Skip tests, fixtures, generated and vendored files.',
  { label: 'classify', schema: CLASSIFIED, agentType: 'Explore' },
);
const risky = (classified?.files ?? []).filter((file) => file.risk !== 'low').slice(0, maxFiles);
log(`${risky.length} risky file(s) of ${classified?.files?.length ?? 0}`);

phase('Hunt');
const judged = await pipeline(
  risky,
  (file) =>
    agent(
      `Hunt for bugs in ${file.path} (rated ${file.risk} risk: ${file.reason}). For each candidate give the line and ` +
        'a concrete scenario that triggers it. Only real defects, no style.',
      { label: `hunt:${file.path}`, phase: 'Hunt', schema: CANDIDATES, agentType: 'Explore' },
    ),
  (found, file) =>
    parallel(
      found.candidates.map(
        (candidate, n) => () =>
          parallel(
            [1, 2, 3].map(
              (voter) => () =>
                agent(
                  `Skeptic #${voter}: someone claims a bug in ${file.path} at line ${candidate.line}: "${candidate.title}". ` +
                    `Scenario: ${candidate.scenario}\nTry to refute it by reading the code. refuted=true if the scenario cannot happen.`,
                  {
                    label: `vote${voter}:${file.path}#${n}`,
                    phase: 'Vote',
                    schema: VOTE,
                    agentType: 'Explore',
                  },
                ),
            ),
          ).then((votes) => {
            const standing = votes.filter((vote) => vote !== null && vote.refuted === false).length;
            return standing >= 2 ? { file: file.path, ...candidate, votes: standing } : null;
          }),
      ),
    ),
);
const bugs = judged.filter(Boolean).flat().filter(Boolean);
log(`${bugs.length} bug(s) survived the vote`);

phase('Report');
const report =
  bugs.length === 0
    ? 'no candidate survived the vote'
    : await agent(
        `Write a bug report, one entry per bug with file:line, scenario and a suggested fix:\n${JSON.stringify(bugs)}`,
        {
          label: 'report',
        },
      );

return { filesClassified: classified?.files?.length ?? 0, filesHunted: risky.length, bugs, report };
