/**
 * Zeroes the values of named variables in this process's own environment block on Linux — the
 * bytes `/proc/<pid>/environ` shows to every process of the same user.
 *
 * Why: the launcher hands the keys to the runtime through a pipe, but it was itself started with
 * them, and a grandchild can walk up the process tree and read the launcher's block. `delete
 * process.env.X` does not help (it only unlinks the variable; the bytes stay). The block lives on
 * the initial stack, a writable mapping, so writing `/proc/self/mem` at the addresses that
 * `/proc/self/stat` gives (env_start, env_end: fields 50 and 51, Linux ≥ 3.5) overwrites it in place.
 * Afterwards `process.env.X` reads as '' in this process: call it only once the values are copied.
 */
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

/** Fields of /proc/<pid>/stat after `(comm)`: index 0 is field 3 (state), so field N is N - 3. */
const ENV_START_INDEX = 50 - 3;
const ENV_END_INDEX = 51 - 3;

/** Where the environment block is, from /proc/self/stat (whose comm field may hold spaces or ")"). */
function environBounds(): { start: number; end: number } | undefined {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
  const start = Number(fields[ENV_START_INDEX]);
  const end = Number(fields[ENV_END_INDEX]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start <= 0 || end <= start)
    return undefined;
  return { start, end };
}

export type EnvironWipe =
  { readonly wiped: true; readonly variables: number } | { readonly wiped: false; readonly reason: string };

/**
 * Overwrites with NUL bytes the value of every `NAME=value` entry of the block whose name is in
 * `names`, then checks `/proc/self/environ` no longer shows any of those values. Never throws:
 * it is a best effort, and the answer says why it did not work.
 *
 * @example
 * const wipe = wipeOwnEnvironValues(['ANTHROPIC_API_KEY']);
 * if (!wipe.wiped) debug(wipe.reason);
 */
export function wipeOwnEnvironValues(names: Iterable<string>): EnvironWipe {
  if (process.platform !== 'linux') return { wiped: false, reason: `not Linux (${process.platform})` };
  const wanted = new Set(names);
  let fd: number | undefined;
  try {
    const bounds = environBounds();
    if (bounds === undefined) return { wiped: false, reason: 'no env_start/env_end in /proc/self/stat' };
    fd = openSync('/proc/self/mem', 'r+');
    const block = Buffer.alloc(bounds.end - bounds.start);
    readSync(fd, block, 0, block.length, bounds.start);
    let variables = 0;
    for (let entry = 0; entry < block.length;) {
      const nul = block.indexOf(0, entry);
      const entryEnd = nul === -1 ? block.length : nul;
      const equals = block.indexOf(0x3d, entry);
      if (equals !== -1 && equals < entryEnd && wanted.has(block.toString('utf8', entry, equals))) {
        block.fill(0, equals + 1, entryEnd);
        writeSync(fd, block, equals + 1, entryEnd - (equals + 1), bounds.start + equals + 1);
        variables += 1;
      }
      entry = entryEnd + 1;
    }
    const left = readFileSync('/proc/self/environ', 'utf8')
      .split('\0')
      .filter((entry) => wanted.has(entry.slice(0, entry.indexOf('='))) && !entry.endsWith('='));
    return left.length === 0
      ? { wiped: true, variables }
      : { wiped: false, reason: `${left.length} value(s) still shown by /proc/self/environ` };
  } catch (error) {
    return { wiped: false, reason: (error as Error).message };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
