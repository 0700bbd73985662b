export const meta = {
  name: 'budget-guard',
  description: 'Keep refining drafts while budget remains; stop cleanly before the ceiling',
};

const drafts = [];
let round = 0;
while (round < (args?.maxRounds ?? 20)) {
  if (budget.total !== null && budget.remaining() < (args?.reserve ?? 200)) {
    log(`stopping: ${budget.remaining()} of ${budget.total} output tokens left`);
    break;
  }
  round += 1;
  const draft = await agent(`Improve draft #${round} of the release notes.\n@sim tokens 300 120`, {
    label: `draft:${round}`,
  });
  drafts.push(draft);
}

return {
  rounds: round,
  spent: budget.spent(),
  total: budget.total,
  remainingIsFinite: Number.isFinite(budget.remaining()),
};
