/** `dynaflow sim` — the model simulator as a server for any client. */
import { startSimulator, type SimRateLimitOptions } from '../../sim/index.js';
import type { CliIo } from '../context.js';

export interface SimFlags {
  readonly port?: number;
  readonly seed?: number;
  readonly latency?: number;
  readonly failRate?: number;
  readonly behaviour?: string;
  /** Rate limits, as the real API enforces them: 429 with `retry-after` once a minute's share is used. */
  readonly rpm?: number;
  readonly inputTpm?: number;
  readonly outputTpm?: number;
}

function rateLimitOf(flags: SimFlags): SimRateLimitOptions | undefined {
  if (flags.rpm === undefined && flags.inputTpm === undefined && flags.outputTpm === undefined)
    return undefined;
  return {
    ...(flags.rpm !== undefined ? { requestsPerMinute: flags.rpm } : {}),
    ...(flags.inputTpm !== undefined ? { inputTokensPerMinute: flags.inputTpm } : {}),
    ...(flags.outputTpm !== undefined ? { outputTokensPerMinute: flags.outputTpm } : {}),
  };
}

export async function simCommand(io: CliIo, flags: SimFlags): Promise<number> {
  const rateLimit = rateLimitOf(flags);
  const simulator = await startSimulator({
    port: flags.port ?? 0,
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.latency !== undefined ? { latencyMs: flags.latency } : {}),
    ...(flags.failRate !== undefined ? { failRate: flags.failRate } : {}),
    ...(flags.behaviour !== undefined ? { behaviourFile: flags.behaviour } : {}),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
  });
  io.stdout(`listening ${simulator.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await simulator.close();
  return 0;
}
