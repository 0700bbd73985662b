/**
 * KS-25: a lock holder that is a zombie (killed, not yet reaped — a runtime killed along with its
 * launcher is reparented to PID 1, which may reap late) counts as gone, so a resume takes over.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { isProcessAlive } from './internal/lock.js';

describe('lock holder liveness', () => {
  it('KS-25 a zombie process is not alive; a running one is', async () => {
    // `sleep 0` becomes a child of `sleep 3` (exec), which never reaps it: a zombie for 3 s.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 3'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const zombie = await new Promise<number>((resolve) =>
      parent.stdout.setEncoding('utf8').once('data', (line: string) => resolve(Number(line.trim()))),
    );
    try {
      for (
        let tries = 0;
        tries < 100 && !/\) Z /.test(readFileSync(`/proc/${zombie}/stat`, 'utf8'));
        tries += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(readFileSync(`/proc/${zombie}/stat`, 'utf8')).toMatch(/\) Z /);
      expect(isProcessAlive(zombie)).toBe(false);
      expect(isProcessAlive(parent.pid ?? 0)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
