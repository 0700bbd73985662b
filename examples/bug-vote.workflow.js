export const meta = {
  name: 'bug-vote',
  description: 'Find bug candidates in a sample of files, keep those that survive a 2-of-3 refutation vote',
  phases: [{ title: 'Sample' }, { title: 'Hunt' }, { title: 'Vote' }],
};

const CANDIDATES = {
  type: 'object',
  required: ['candidates'],
  properties: { candidates: { type: 'array', maxItems: 2, items: { type: 'string' } } },
};
const VOTE = { type: 'object', required: ['real'], properties: { real: { type: 'boolean' } } };

phase('Sample');
const files = args?.files ?? ['a.js', 'b.js', 'c.js', 'd.js', 'e.js', 'f.js'];
// Sampling with Math.random is fine: dynaflow seeds it per run, so a resume samples the same files.
const sample = files.filter(() => Math.random() < 0.5).slice(0, 3);
log(`sampled ${sample.join(', ') || 'nothing'}`);

phase('Hunt');
const hunts = await parallel(
  sample.map((f) => () => agent(`Find likely bugs in ${f}`, { label: `hunt:${f}`, schema: CANDIDATES })),
);

phase('Vote');
const candidates = hunts.flatMap((h, i) => (h ? h.candidates.map((c) => ({ file: sample[i], bug: c })) : []));
const votes = await parallel(
  candidates.map(
    (c) => () =>
      parallel(
        [1, 2, 3].map(
          (n) => () =>
            agent(`Refute or confirm: ${c.bug} in ${c.file} (voter ${n})`, {
              label: `vote:${c.file}:${n}`,
              schema: VOTE,
            }),
        ),
      ),
  ),
);
const confirmed = candidates.filter((_, i) => votes[i].filter((v) => v && v.real).length >= 2);
return { sample, candidates: candidates.length, confirmed };
