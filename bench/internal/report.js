/**
 * Turns the raw runs into the figures issue 2 asks for (best round per client), checks them
 * against the targets, and renders the table printed at the end of a bench run.
 */
import { IMPLEMENTATIONS, LABELS } from './clients.js';

/**
 * Acceptance targets of issue 2 ("Benchmarks"): a ratio of ours to a reference, and a bound. The
 * LangGraph targets are checked against both peers: the graph calling the SDK, and the graph
 * calling ChatAnthropic.
 */
const TARGETS = [
  {
    benchmark: 'makespan',
    metric: 'wallSeconds',
    versus: 'floor',
    max: 1.05,
    text: 'makespan within 5 % of the floor',
  },
  {
    benchmark: 'makespan',
    metric: 'wallSeconds',
    versus: 'langgraph',
    max: 0.9,
    text: 'makespan ≥ 10 % faster than LangGraph',
  },
  {
    benchmark: 'makespan',
    metric: 'wallSeconds',
    versus: 'langgraph-chat',
    max: 0.9,
    text: 'makespan ≥ 10 % faster than LangGraph + ChatAnthropic',
  },
  {
    benchmark: 'overhead',
    metric: 'msPerTask',
    versus: 'floor',
    max: 1.5,
    text: 'overhead per agent ≤ 1.5 × the floor',
  },
  {
    benchmark: 'overhead',
    metric: 'msPerTask',
    versus: 'ours-no-sandbox',
    max: 1.05,
    text: 'overhead per agent with the OS sandbox on ≤ 1.05 × with --no-sandbox (issue 12)',
  },
  {
    benchmark: 'overhead',
    metric: 'msPerTask',
    versus: 'floor-undici',
    text: 'overhead per agent / the floor on the same transport (context, no target)',
  },
  {
    benchmark: 'overhead',
    metric: 'msPerTask',
    versus: 'langgraph',
    max: 0.5,
    text: 'overhead per agent ≤ ½ LangGraph',
  },
  {
    benchmark: 'overhead',
    metric: 'msPerTask',
    versus: 'langgraph-chat',
    max: 0.5,
    text: 'overhead per agent ≤ ½ LangGraph + ChatAnthropic',
  },
];
const RSS_LIMIT_MB = 300;

/** The best (fastest) successful round of each client; RSS is the worst round, to stay conservative. */
function bestOf(runs) {
  const good = runs.filter((run) => run.ok);
  if (good.length === 0) return undefined;
  const fastest = good.reduce((best, run) => (run.wallMs < best.wallMs ? run : best));
  const walls = good.map((run) => run.wallMs / 1000).sort((a, b) => a - b);
  const middle = Math.floor(walls.length / 2);
  return {
    wallSeconds: fastest.wallMs / 1000,
    // Shown beside the best round: how far apart they are says how noisy the machine was.
    medianWallSeconds: walls.length % 2 === 1 ? walls[middle] : (walls[middle - 1] + walls[middle]) / 2,
    peakRssMb: Math.max(...good.map((run) => run.peakRssMb)),
    cpuSeconds: fastest.cpuSeconds,
    rounds: good.map((run) => run.wallMs / 1000),
  };
}

export function evaluateTargets(runs, { plans, concurrency }) {
  const summary = {};
  for (const [benchmark, plan] of Object.entries(plans)) {
    const ofBenchmark = runs.filter((run) => run.benchmark === benchmark);
    if (ofBenchmark.length === 0) continue;
    const idealSeconds = (plan.n * plan.latencyMs) / concurrency / 1000;
    const byImplementation = {};
    for (const implementation of IMPLEMENTATIONS) {
      const best = bestOf(ofBenchmark.filter((run) => run.implementation === implementation));
      if (best === undefined) continue;
      byImplementation[implementation] = {
        ...best,
        msPerTask: (best.wallSeconds * 1000) / plan.n,
        cpuMsPerTask: (best.cpuSeconds * 1000) / plan.n,
        ...(idealSeconds > 0 ? { ratioToIdeal: best.wallSeconds / idealSeconds } : {}),
      };
    }
    summary[benchmark] = { n: plan.n, latencyMs: plan.latencyMs, idealSeconds, byImplementation };
  }
  const targets = [];
  for (const target of TARGETS) {
    const figures = summary[target.benchmark]?.byImplementation;
    const ours = figures?.ours?.[target.metric];
    const reference = figures?.[target.versus]?.[target.metric];
    if (ours === undefined || reference === undefined) continue;
    const ratio = ours / reference;
    // A row without a bound is context for the reader (e.g. the same-transport floor), not a target.
    const verdict = target.max === undefined ? {} : { max: target.max, met: ratio <= target.max };
    targets.push({ target: target.text, ratio, ...verdict });
  }
  const rss = summary.overhead?.byImplementation.ours?.peakRssMb;
  if (rss !== undefined) {
    targets.push({
      target: `peak RSS < ${RSS_LIMIT_MB} MB at ${summary.overhead.n} agents`,
      rssMb: rss,
      max: RSS_LIMIT_MB,
      met: rss < RSS_LIMIT_MB,
    });
  }
  return { ...summary, targets };
}

const fixed = (value, digits) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));

function table(header, rows) {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function renderReport(summary, report) {
  const out = [];
  const { makespan, overhead } = summary;
  if (makespan) {
    out.push(
      `\nMakespan: ${makespan.n} agents × ${makespan.latencyMs} ms, concurrency ${report.settings.concurrency} ` +
        `(ideal ${fixed(makespan.idealSeconds, 2)} s), whole process`,
      table(
        ['client', 'wall s', 'median s', '× ideal', 'peak RSS MB', 'CPU s'],
        Object.entries(makespan.byImplementation).map(([name, figures]) => [
          LABELS[name],
          fixed(figures.wallSeconds, 2),
          fixed(figures.medianWallSeconds, 2),
          fixed(figures.ratioToIdeal, 3),
          fixed(figures.peakRssMb, 0),
          fixed(figures.cpuSeconds, 2),
        ]),
      ),
    );
  }
  if (overhead) {
    out.push(
      `\nOverhead: ${overhead.n} agents × 0 ms, concurrency ${report.settings.concurrency}, whole process`,
      table(
        ['client', 'wall s', 'median s', 'ms/task', 'CPU ms/task', 'peak RSS MB'],
        Object.entries(overhead.byImplementation).map(([name, figures]) => [
          LABELS[name],
          fixed(figures.wallSeconds, 2),
          fixed(figures.medianWallSeconds, 2),
          fixed(figures.msPerTask, 3),
          fixed(figures.cpuMsPerTask, 3),
          fixed(figures.peakRssMb, 0),
        ]),
      ),
    );
  }
  if (summary.targets.length > 0) {
    out.push(
      '\nTargets (issue 2)',
      table(
        ['target', 'measured', 'bound', 'result'],
        summary.targets.map((target) => [
          target.target,
          target.ratio !== undefined ? `${fixed(target.ratio, 3)} ×` : `${fixed(target.rssMb, 0)} MB`,
          target.max === undefined
            ? ''
            : target.ratio !== undefined
              ? `≤ ${target.max} ×`
              : `< ${target.max} MB`,
          target.max === undefined ? '' : target.met ? 'met' : 'MISSED',
        ]),
      ),
    );
  }
  const load = report.machine.loadAverageAtStart.map((value) => value.toFixed(2)).join(' ');
  out.push(
    `\n${report.machine.cpus} CPUs, node ${report.machine.node}, load average at start ${load} (shared machine: figures are noisy)\n`,
  );
  return `${out.join('\n')}\n`;
}
