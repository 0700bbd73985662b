export const meta = {
  name: 'string-args',
  description: 'Takes a free-text task as args (a raw string) and plans it',
};

if (typeof args !== 'string') return { error: 'pass the task as a plain string: --args "rename X to Y"' };

const PLAN = {
  type: 'object',
  required: ['steps'],
  properties: { steps: { type: 'array', minItems: 1, maxItems: 4, items: { type: 'string' } } },
};
const plan = await agent(`Break this task into steps: ${args}`, { label: 'plan', schema: PLAN });
const done = await parallel(
  plan.steps.map((step, i) => () => agent(`Do step ${i + 1}: ${step}`, { label: `step:${i + 1}` })),
);
return { task: args, steps: plan.steps.length, done: done.filter((d) => typeof d === 'string').length };
