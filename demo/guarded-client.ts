// The MCP client of the demo: the official MCP SDK client, launched the way a real client config would
// launch a server — `mcp-lock run <name> --project <dir>` over stdio — so every message passes the
// connect-time guard. It keeps what `mcp-lock run` says on stderr (the guard's explanations) and notices
// when the server announces that its tool list changed.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { BIN } from './processes.ts';

export interface GuardedClient {
  client: Client;
  /** The pid of `mcp-lock run`. */
  pid: number;
  /** Lines `mcp-lock run` wrote to stderr so far. */
  stderrLines: string[];
  /** Resolves true when notifications/tools/list_changed arrives, false after `ms`. */
  toolListChanged(ms: number): Promise<boolean>;
  /** Wait until a stderr line matches, or `ms` passes. */
  waitForStderr(pattern: RegExp, ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export const CLIENT_INFO = { name: 'mcp-lock-demo-client', version: '1.0.0' };

/** The arguments a client config gives `mcp-lock run` (what the user would put in their MCP client). */
export function runArguments(name: string, project: string): string[] {
  return ['run', name, '--project', project];
}

export async function connectThroughGuard(
  name: string,
  project: string,
  env: Record<string, string>,
  onSpawn: (pid: number) => void,
): Promise<GuardedClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, ...runArguments(name, project)],
    // Pass the environment explicitly: the SDK's default keeps only a handful of variables.
    env,
    stderr: 'pipe',
  });
  const stderrLines: string[] = [];
  let partial = '';
  const waiters = new Set<() => void>();
  transport.stderr?.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop()!;
    stderrLines.push(...lines);
    for (const w of waiters) w();
  });
  let changed = false;
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    changed = true;
    for (const w of waiters) w();
  });
  const until = (done: () => boolean, ms: number) =>
    new Promise<boolean>((resolve) => {
      if (done()) return resolve(true);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        resolve(done());
      }, ms);
      waiters.add(check);
    });
  // Report the pid as soon as the process exists, so cleanup can reach it even if the handshake fails.
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    if (transport.pid) onSpawn(transport.pid);
  };
  await client.connect(transport);
  return {
    client,
    pid: transport.pid ?? -1,
    stderrLines,
    toolListChanged: (ms) => until(() => changed, ms),
    waitForStderr: (pattern, ms) => until(() => stderrLines.some((l) => pattern.test(l)), ms),
    close: () => client.close(),
  };
}
