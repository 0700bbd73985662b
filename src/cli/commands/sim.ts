/** `dynaflow sim` — the model simulator as a server for any client. */
import { startSimulator } from '../../sim/index.js';
import type { CliIo } from '../context.js';

export interface SimFlags {
  readonly port?: number;
  readonly seed?: number;
  readonly latency?: number;
  readonly failRate?: number;
  readonly behaviour?: string;
}

export async function simCommand(io: CliIo, flags: SimFlags): Promise<number> {
  const simulator = await startSimulator({
    port: flags.port ?? 0,
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.latency !== undefined ? { latencyMs: flags.latency } : {}),
    ...(flags.failRate !== undefined ? { failRate: flags.failRate } : {}),
    ...(flags.behaviour !== undefined ? { behaviourFile: flags.behaviour } : {}),
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
