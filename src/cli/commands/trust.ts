/**
 * `dynaflow trust [--revoke | --list]` — workspace trust for the project folder: shows what its
 * own configuration files would do (commands that start, model remappings, prices, allow rules,
 * sandbox settings, agent types), then records the trust in the user's home, pinned to those files.
 */
import { EXIT } from '../../errors/index.js';
import {
  checkProjectTrust,
  listTrustedFolders,
  revokeProjectTrust,
  trustProject,
} from '../../settings/index.js';
import type { CliIo } from '../context.js';
import { describeProjectConfiguration, homeOf } from '../project-trust.js';

export interface TrustFlags {
  readonly revoke?: boolean;
  readonly list?: boolean;
}

export async function trustCommand(io: CliIo, projectRoot: string, flags: TrustFlags): Promise<number> {
  const homeDir = homeOf(io);
  if (flags.list) {
    const folders = listTrustedFolders(homeDir);
    if (folders.length === 0) io.stderr('no trusted folders');
    for (const { folder, trustedAt } of folders) io.stdout(`${folder}\t${trustedAt}\n`);
    return EXIT.done;
  }
  if (flags.revoke) {
    io.stderr(
      revokeProjectTrust(projectRoot, homeDir)
        ? `no longer trusted: ${projectRoot}`
        : `${projectRoot} was not trusted; nothing changed`,
    );
    return EXIT.done;
  }
  const before = checkProjectTrust(projectRoot, homeDir);
  if (before.state === 'trusted') {
    io.stderr(`already trusted: ${projectRoot} (its configuration has not changed since)`);
    return EXIT.done;
  }
  const lines = await describeProjectConfiguration(projectRoot, homeDir);
  io.stderr(`trusting ${projectRoot}${lines.length > 0 ? ': from now on these take effect' : ''}`);
  for (const line of lines) io.stderr(`  ${line}`);
  const file = trustProject(projectRoot, homeDir);
  io.stderr(
    `recorded in ${file}; asked again when any of those files changes (undo: dynaflow trust --revoke)`,
  );
  return EXIT.done;
}
