/**
 * The bridge that runs first inside a sandbox whose network allow-list is not empty. The sandbox
 * has its own network namespace with only a loopback, so the bridge listens on 127.0.0.1 there,
 * forwards each connection to the parent's proxy socket (bound into the sandbox), sets the proxy
 * variables and then starts the command, whose exit status it passes on.
 *
 * It is source text run with `node -e` (the runtime's own `process.execPath`): no file to find
 * next to the bundle, and no extra system package such as socat.
 */
import path from 'node:path';

export const PROXY_BRIDGE_SOURCE = String.raw`
const net = require('node:net');
const { spawn } = require('node:child_process');
const os = require('node:os');
const [socketPath, program, ...args] = process.argv.slice(1);
const server = net.createServer((client) => {
  const upstream = net.connect(socketPath);
  client.pipe(upstream);
  upstream.pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const proxy = 'http://127.0.0.1:' + server.address().port;
  const env = { ...process.env };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) env[name] = proxy;
  delete env.NO_PROXY;
  delete env.no_proxy;
  const child = spawn(program, args, { stdio: 'inherit', env });
  child.on('error', (error) => {
    process.stderr.write('dynaflow sandbox: cannot start ' + program + ': ' + error.message + '\n');
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? 128 + (os.constants.signals[signal] ?? 9));
  });
});
`;

/** Where bubblewrap binds the parent's proxy socket: inside the command's private temporary directory. */
export function proxySocketInSandbox(privateTmp: string): string {
  return path.join(privateTmp, '.dynaflow-proxy.sock');
}

/** `node -e BRIDGE -- socket program args…`: the command, started by the bridge. */
export function bridgedArgv(argv: readonly string[], socket: string): string[] {
  return [process.execPath, '-e', PROXY_BRIDGE_SOURCE, '--', socket, ...argv];
}
