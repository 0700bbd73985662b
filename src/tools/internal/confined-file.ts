/**
 * Opens a path that `resolveWorkspacePath` accepted, closing the gap between that check and the
 * open: another process (an agent's Bash, a second agent in the same workspace) could swap a
 * directory for a symlink in between. The last component is opened with O_NOFOLLOW (the checked
 * path is already the real one, so a symlink there means it was swapped), and afterwards the
 * kernel is asked where the descriptor really points (`/proc/self/fd/N`); outside the workspace,
 * the file is closed untouched. All reading and writing then goes through that descriptor.
 *
 * Not covered: Node has no `openat`, so `mkdir -p` of missing parents may still follow a
 * swapped-in symlink and leave empty directories outside, and a file created by O_CREAT through a
 * swapped parent stays there, empty (nothing is written to it).
 */
import { constants } from 'node:fs';
import { open, readlink, realpath, type FileHandle } from 'node:fs/promises';

import type { ToolResult } from '../../agent/types.js';
import { toolFailure } from './tool-result.js';
import { isInsideDirectory, type WorkspacePath } from './workspace-path.js';

export type ConfinedOpen = { ok: true; handle: FileHandle } | { ok: false; result: ToolResult };

/**
 * Opens `target.absolute` with `flags` (O_NOFOLLOW is added) and checks the opened file is
 * inside `target.root`. Errors other than an escape are returned as `error` for the caller to
 * phrase (ENOENT, EISDIR, …).
 */
export async function openConfined(
  target: WorkspacePath,
  flags: number,
): Promise<ConfinedOpen | { ok: false; error: NodeJS.ErrnoException }> {
  let handle: FileHandle;
  try {
    handle = await open(target.absolute, flags | constants.O_NOFOLLOW, 0o666);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: the last component is now a symlink (it was not when checked).
    if (code === 'ELOOP') return { ok: false, result: changed(target) };
    return { ok: false, error: error as NodeJS.ErrnoException };
  }
  const where = await openedLocation(handle, target.absolute);
  if (where === undefined || !isInsideDirectory(target.root, where)) {
    await handle.close();
    return { ok: false, result: changed(target) };
  }
  return { ok: true, handle };
}

/** Where the descriptor points, per the kernel; where /proc is missing, the path re-resolved. */
async function openedLocation(handle: FileHandle, absolute: string): Promise<string | undefined> {
  try {
    return (await readlink(`/proc/self/fd/${handle.fd}`)).replace(/ \(deleted\)$/, '');
  } catch {
    return realpath(absolute).catch(() => undefined);
  }
}

/** Replaces the whole content through the descriptor (a short write is continued). */
export async function replaceContent(handle: FileHandle, text: string): Promise<void> {
  const data = Buffer.from(text, 'utf8');
  await handle.truncate(0);
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, written);
    written += bytesWritten;
  }
}

/**
 * Why an opened file must not be changed in place, or undefined when it may be: only regular
 * files, and none with other hard links — those are the same file under another name, possibly
 * outside the workspace (pnpm's store, a link made with Bash), and writing would change them all.
 */
export function inPlaceWriteRefusal(
  display: string,
  stats: { isFile(): boolean; readonly nlink: number },
): ToolResult | undefined {
  if (!stats.isFile()) return toolFailure('TOOL_FAILED', `${display} is not a regular file.`);
  if (stats.nlink <= 1) return undefined;
  return toolFailure(
    'PATH_OUTSIDE_WORKSPACE',
    `${display} has ${stats.nlink} hard links; changing it in place would also change the other names, which may be ` +
      'outside the workspace. Write a new file instead (for example copy it, delete it, then Write it).',
  );
}

function changed(target: WorkspacePath): ToolResult {
  return toolFailure(
    'PATH_OUTSIDE_WORKSPACE',
    `${target.display} changed while it was being opened and now resolves outside the workspace ${target.root}.`,
  );
}
