export const meta = {
  name: 'nested-fanout',
  description: 'Per package: list its modules, then audit every module in parallel inside the pipeline stage',
  phases: [{ title: 'Inventory' }, { title: 'Audit' }],
};

const MODULES = {
  type: 'object',
  required: ['modules'],
  properties: { modules: { type: 'array', minItems: 2, maxItems: 3, items: { type: 'string' } } },
};
const AUDIT = {
  type: 'object',
  required: ['risk'],
  properties: { risk: { type: 'integer', minimum: 0, maximum: 10 }, notes: { type: 'string' } },
};

const packages = args?.packages ?? ['core', 'cli'];

const audited = await pipeline(
  packages,
  (pkg) =>
    agent(`List the modules of package ${pkg}`, {
      label: `inventory:${pkg}`,
      phase: 'Inventory',
      schema: MODULES,
    }),
  (inventory, pkg, index) =>
    parallel(
      inventory.modules.map(
        (mod) => () =>
          agent(`Audit module ${mod} of package ${pkg} (#${index}) for unsafe input handling`, {
            label: `audit:${pkg}/${mod}`,
            phase: 'Audit',
            schema: AUDIT,
          }),
      ),
    ),
  (audits, pkg) => ({
    pkg,
    modules: audits.length,
    maxRisk: Math.max(...audits.filter(Boolean).map((a) => a.risk)),
  }),
);

return audited;
