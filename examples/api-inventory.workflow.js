export const meta = {
  name: 'api-inventory',
  description: 'Build a typed inventory of every HTTP endpoint, with nested, schema-validated records',
  phases: [{ title: 'Discover' }, { title: 'Describe' }],
};

const ENDPOINTS = {
  type: 'object',
  required: ['service', 'endpoints'],
  properties: {
    service: { type: 'string', minLength: 1 },
    endpoints: {
      type: 'array',
      minItems: 2,
      maxItems: 4,
      items: {
        type: 'object',
        required: ['method', 'path', 'auth', 'params'],
        properties: {
          method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'DELETE'] },
          path: { type: 'string', minLength: 1 },
          auth: { type: 'string', enum: ['none', 'token', 'session'] },
          params: {
            type: 'array',
            maxItems: 3,
            items: {
              type: 'object',
              required: ['name', 'in', 'required'],
              properties: {
                name: { type: 'string' },
                in: { type: 'string', enum: ['path', 'query', 'body'] },
                required: { type: 'boolean' },
              },
            },
          },
          rateLimitPerMinute: { type: ['integer', 'null'], minimum: 1, maximum: 10000 },
        },
      },
    },
  },
};

const RISK = {
  type: 'object',
  required: ['score', 'reasons'],
  properties: {
    score: { type: 'number', minimum: 0, maximum: 1 },
    reasons: { type: 'array', minItems: 1, items: { type: 'string' } },
  },
};

const services = args?.services ?? ['billing', 'accounts'];

phase('Discover');
const inventories = await parallel(
  services.map(
    (s) => () =>
      agent(`List the HTTP endpoints of the ${s} service`, { label: `discover:${s}`, schema: ENDPOINTS }),
  ),
);

phase('Describe');
const rows = inventories
  .filter(Boolean)
  .flatMap((inv) => inv.endpoints.map((e) => ({ service: inv.service, ...e })));
const risks = await parallel(
  rows.map(
    (row) => () =>
      agent(`Rate the abuse risk of ${row.method} ${row.path} (auth: ${row.auth})`, {
        label: `risk:${row.method} ${row.path}`,
        schema: RISK,
      }),
  ),
);

return rows.map((row, i) => ({ ...row, risk: risks[i] ? risks[i].score : null }));
