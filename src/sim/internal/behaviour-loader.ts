/** Loads a behaviour module (`--behaviour FILE`): a JS module exporting `respond(request)`. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../errors/index.js';
import type { SimBehaviour } from '../types.js';

export async function loadBehaviour(file: string): Promise<SimBehaviour> {
  const url = pathToFileURL(resolve(file)).href;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError('CONFIG_INVALID', `Cannot load the simulator behaviour module ${file}.`, {
      cause: error,
      hint: 'Pass the path of a JavaScript module (ESM) that exports respond(request).',
    });
  }
  const candidate =
    loaded.respond ?? (loaded.default as Record<string, unknown> | undefined)?.respond ?? loaded.default;
  if (typeof candidate !== 'function') {
    throw new UsageError(
      'CONFIG_INVALID',
      `The simulator behaviour module ${file} exports no respond function.`,
      {
        hint: 'Add `export function respond(request) { … }` (return undefined to keep the default answer).',
      },
    );
  }
  const respond = candidate as SimBehaviour['respond'];
  return { respond: (request) => respond(request) };
}
