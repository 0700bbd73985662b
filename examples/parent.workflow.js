export const meta = {
  name: 'parent',
  description: 'Runs a child workflow twice as sub-steps and merges their results',
  phases: [{ title: 'Children' }, { title: 'Merge' }],
};

phase('Children');
const first = await workflow(
  { scriptPath: 'examples/summarise-child.workflow.js' },
  { topics: ['caching', 'retries'] },
);
const second = await workflow(
  { scriptPath: 'examples/summarise-child.workflow.js' },
  { topics: ['journal'] },
);

phase('Merge');
const merged = await agent(`Merge ${first.count + second.count} summaries into one paragraph`, {
  label: 'merge',
});
return { first, second, merged: typeof merged };
