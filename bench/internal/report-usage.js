/**
 * Preload (`node --import`) used only when GNU time is missing: at exit, writes
 * "maxRssKb userSeconds systemSeconds" — the same line `/usr/bin/time -f '%M %U %S'` writes.
 */
import process from 'node:process';
import { writeFileSync } from 'node:fs';

const target = process.env.DYNAFLOW_BENCH_USAGE_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
  });
}
