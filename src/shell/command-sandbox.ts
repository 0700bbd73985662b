/**
 * One run's OS sandbox: every command (`Bash`, `exec()`, a stdio MCP server) is wrapped in it.
 * Detection, the once-per-run warning and the network proxy are shared by all commands of the
 * run; each command gets its own private /tmp, removed when it ends.
 */
import { mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { gitPathsOf } from './internal/git-paths.js';
import { bubblewrapArguments } from './internal/bubblewrap-args.js';
import { parseHostPatterns, type HostPattern } from './internal/host-patterns.js';
import { bridgedArgv, proxySocketInSandbox } from './internal/proxy-bridge.js';
import { sandboxExecArguments } from './internal/sandbox-exec-profile.js';
import { HOME_CREDENTIALS, type DeniedPath, type SandboxPolicy } from './internal/sandbox-policy.js';
import { startNetworkProxy, type NetworkProxy } from './network-proxy.js';
import {
  describeOsSandbox,
  detectOsSandbox,
  type OsSandboxDetection,
  type OsSandboxMode,
} from './os-sandbox.js';

export interface CommandSandboxOptions {
  readonly mode: OsSandboxMode;
  /** Hosts sandboxed commands may reach through the proxy (`registry.npmjs.org`, `*.pypi.org`, `127.0.0.1:4873`). */
  readonly networkAllow?: readonly string[];
  /** Paths that must read as empty: the journal/state directory, the project's `.dynaflow/`. */
  readonly deniedPaths?: readonly string[];
  /** Writable besides each command's workspace. */
  readonly writablePaths?: readonly string[];
  /** Whose `~/.ssh`, `~/.aws`, … are masked. Default: the OS home directory. */
  readonly homeDir?: string;
  /** A run-log warning; called once when commands must run unsandboxed. */
  readonly warn?: (message: string) => void;
  /** What `detectOsSandbox()` would answer (tests). */
  readonly detection?: OsSandboxDetection;
}

/** Where a command runs: its workspace (writable root) and its working directory inside it. */
export interface CommandPlace {
  readonly workspace: string;
  readonly cwd: string;
}

export interface PreparedCommand {
  /** The program and arguments to spawn (the sandbox's, then the command's). */
  readonly argv: readonly string[];
  /** Variables to set on top of the command's environment (`TMPDIR`). */
  readonly environment: Readonly<Record<string, string>>;
  readonly sandboxed: boolean;
  /** Removes the command's private temporary directory. */
  dispose(): Promise<void>;
}

const NOTHING_TO_DISPOSE = (): Promise<void> => Promise.resolve();

/**
 * @example
 * const sandbox = new CommandSandbox({ mode: 'auto', deniedPaths: [stateDir], warn });
 * const prepared = await sandbox.prepare(['bash', '-c', 'npm test'], { workspace, cwd: workspace });
 * // spawn prepared.argv, then: await prepared.dispose(); at run end: await sandbox.close();
 */
export class CommandSandbox {
  private readonly allow: readonly HostPattern[];
  private detection: Promise<OsSandboxDetection> | undefined;
  private proxy: Promise<NetworkProxy> | undefined;
  private warned = false;
  private closed = false;

  constructor(private readonly options: CommandSandboxOptions) {
    // Parsed up front: a bad allow-list entry is a CONFIG_INVALID before anything runs.
    this.allow = parseHostPatterns(options.networkAllow ?? []);
  }

  /** A sandbox that wraps nothing (tests, `--no-sandbox`). */
  static disabled(): CommandSandbox {
    return new CommandSandbox({ mode: 'off' });
  }

  get mode(): OsSandboxMode {
    return this.options.mode;
  }

  get networkAllow(): readonly string[] {
    return this.options.networkAllow ?? [];
  }

  detect(): Promise<OsSandboxDetection> {
    this.detection ??= this.options.detection ? Promise.resolve(this.options.detection) : detectOsSandbox();
    return this.detection;
  }

  /** The plan card's and doctor's line about this sandbox. */
  async describe(): Promise<string> {
    return describeOsSandbox(this.mode, await this.detect(), this.networkAllow);
  }

  async prepare(argv: readonly string[], place: CommandPlace): Promise<PreparedCommand> {
    const unsandboxed: PreparedCommand = {
      argv,
      environment: {},
      sandboxed: false,
      dispose: NOTHING_TO_DISPOSE,
    };
    if (this.mode === 'off') return unsandboxed;
    const detection = await this.detect();
    if (!detection.available || detection.executable === undefined) {
      if (!this.warned) {
        this.warned = true;
        this.options.warn?.(describeOsSandbox(this.mode, detection, this.networkAllow));
      }
      return unsandboxed;
    }
    const privateTmp = await mkdtemp(path.join(os.tmpdir(), 'dynaflow-cmd-'));
    const dispose = (): Promise<void> => rm(privateTmp, { recursive: true, force: true });
    try {
      const policy = await this.policyFor(place, privateTmp);
      // bubblewrap binds the socket into the private temporary directory; sandbox-exec has no
      // mounts, so the bridge there dials the parent's socket where it is.
      const socket = detection.kind === 'bubblewrap' ? proxySocketInSandbox(privateTmp) : policy.proxySocket;
      const command = socket === undefined ? [...argv] : bridgedArgv(argv, socket);
      const wrapper =
        detection.kind === 'sandbox-exec' ? sandboxExecArguments(policy) : bubblewrapArguments(policy);
      return {
        argv: [detection.executable, ...wrapper, ...command],
        environment: { TMPDIR: privateTmp },
        sandboxed: true,
        dispose,
      };
    } catch (error) {
      await dispose();
      throw error;
    }
  }

  /** Stops the network proxy. Commands prepared afterwards run without network. */
  async close(): Promise<void> {
    this.closed = true;
    const proxy = await this.proxy?.catch(() => undefined);
    await proxy?.close();
  }

  private async policyFor(place: CommandPlace, privateTmp: string): Promise<SandboxPolicy> {
    const workspace = await realpath(place.workspace);
    const git = await gitPathsOf(workspace);
    const writable = [workspace, ...git.writable];
    for (const extra of this.options.writablePaths ?? []) {
      const resolved = await realpath(extra).catch(() => undefined);
      if (resolved !== undefined) writable.push(resolved);
    }
    const home = this.options.homeDir ?? os.homedir();
    const candidates = [
      ...HOME_CREDENTIALS.map((relative) => path.join(home, relative)),
      ...(this.options.deniedPaths ?? []),
    ];
    const denied: DeniedPath[] = [];
    for (const candidate of candidates) {
      const found = await deniedPath(candidate);
      if (found !== undefined && !denied.some((other) => other.path === found.path)) denied.push(found);
    }
    return {
      cwd: await realpath(place.cwd),
      writable,
      readOnly: git.readOnly,
      denied,
      privateTmp,
      proxySocket: this.allow.length > 0 && !this.closed ? (await this.startProxy()).socketPath : undefined,
    };
  }

  private startProxy(): Promise<NetworkProxy> {
    this.proxy ??= startNetworkProxy(this.allow);
    return this.proxy;
  }
}

async function deniedPath(candidate: string): Promise<DeniedPath | undefined> {
  try {
    const resolved = await realpath(candidate);
    const info = await stat(resolved);
    return { path: resolved, kind: info.isDirectory() ? 'directory' : 'file' };
  } catch {
    return undefined;
  }
}
