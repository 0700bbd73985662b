export const meta = {
  name: 'summarise-child',
  description: 'Child workflow: summarise a list of topics in parallel',
};

const topics = args?.topics ?? [];
const lines = await parallel(
  topics.map((t) => () => agent(`Summarise ${t} in one line`, { label: `child:${t}` })),
);
return { count: lines.filter(Boolean).length, topics };
