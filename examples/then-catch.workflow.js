export const meta = {
  name: 'then-catch',
  description: 'Summarise documents with promise chains; a failing agent degrades to a fallback',
};

const docs = args?.docs ?? ['intro.md', 'api.md', 'faq.md'];

const summaries = await Promise.all(
  docs.map((doc, i) =>
    agent(i === 1 ? `Summarise ${doc}\n@sim fail 500 times 20` : `Summarise ${doc} in one line`, {
      label: `summary:${doc}`,
    })
      .then((text) =>
        text === null ? { doc, summary: '(agent failed)', ok: false } : { doc, summary: text, ok: true },
      )
      .catch((error) => ({ doc, summary: `error: ${error.message}`, ok: false })),
  ),
);

const unsatisfiable = await agent('This cannot start', {
  schema: { type: 'object', required: ['x'], properties: { x: false } },
})
  .then(() => 'started')
  .catch((error) => `refused before any request: ${error.code}`);

log(`${summaries.filter((s) => s.ok).length}/${docs.length} summaries`);
return { summaries, unsatisfiable };
