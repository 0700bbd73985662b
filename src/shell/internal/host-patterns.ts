/**
 * The network allow-list: `host`, `host:port`, `*.domain` or `*.domain:port`. A bare host allows
 * every port; `*.pypi.org` allows the subdomains of pypi.org, not pypi.org itself (list both).
 */
import { UsageError } from '../../errors/index.js';

export interface HostPattern {
  /** Lower-case host; for a wildcard, the domain after `*.`. */
  readonly host: string;
  readonly wildcard: boolean;
  readonly port: number | undefined;
}

const HOST = /^(?:\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Parses the settings' `sandbox.network.allow`; a bad entry names itself and the key. */
export function parseHostPatterns(entries: readonly string[]): HostPattern[] {
  return entries.map((entry) => {
    const pattern = parseHostPattern(entry);
    if (pattern === undefined) {
      throw new UsageError(
        'CONFIG_INVALID',
        `settings "sandbox.network.allow": "${entry}" is not a host pattern`,
        {
          hint: 'use a host, host:port or *.domain, e.g. "registry.npmjs.org", "127.0.0.1:4873", "*.pypi.org"',
        },
      );
    }
    return pattern;
  });
}

function parseHostPattern(entry: string): HostPattern | undefined {
  const text = entry.trim().toLowerCase();
  // `[::1]:8080` or `[::1]`: IPv6 in brackets, as in URLs.
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    const port = readPort(bracketed[2]);
    return port === null ? undefined : { host: bracketed[1]!, wildcard: false, port };
  }
  const colon = text.lastIndexOf(':');
  const host = colon === -1 ? text : text.slice(0, colon);
  const port = readPort(colon === -1 ? undefined : text.slice(colon + 1));
  if (port === null || !HOST.test(host)) return undefined;
  const wildcard = host.startsWith('*.');
  return { host: wildcard ? host.slice(2) : host, wildcard, port };
}

/** `undefined`: no port given; `null`: not a port. */
function readPort(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const port = Number(text);
  return /^\d+$/.test(text) && port >= 1 && port <= 65_535 ? port : null;
}

export function isHostAllowed(patterns: readonly HostPattern[], host: string, port: number): boolean {
  const name = host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  return patterns.some((pattern) => {
    if (pattern.port !== undefined && pattern.port !== port) return false;
    return pattern.wildcard ? name.endsWith(`.${pattern.host}`) : name === pattern.host;
  });
}
