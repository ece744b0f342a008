// Issue #13.6 end to end: the real server-filesystem behind `mcp-lock run` and the official SDK client
// with the elicitation capability. A destructive tool (write_file, by its pinned annotations) is held
// until the client's person answers mcp-lock's own elicitation/create: yes writes the file, no and
// cancel refuse the call and the server never sees it (the file is not written). Benign twins: a
// read-only tool (read_text_file) goes through without a question, and a client without elicitation gets
// the call forwarded and audited (the default policy: withoutElicitation allow).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRecords,
  connectSdk,
  createProject,
  type LockedProject,
  lockNpmServer,
  runArgs,
  type SdkConnection,
} from '../helpers/locked-project.ts';

const SPEC = '@modelcontextprotocol/server-filesystem@2026.8.31';
const NAME = 'io.github.modelcontextprotocol/server-filesystem';

let project: LockedProject;
let shared: string;
let asking: SdkConnection;
let plain: SdkConnection;
/** How the person answers the next question. */
let answer: 'yes' | 'no' | 'cancel' | 'silent' = 'yes';
const questions: { message: string; schema: unknown }[] = [];

const write = (conn: SdkConnection, file: string, content: string) =>
  conn.client.callTool({ name: 'write_file', arguments: { path: join(shared, file), content } });

beforeAll(async () => {
  project = createProject('mcp-lock-confirm-');
  shared = join(project.root, 'shared');
  mkdirSync(shared);
  writeFileSync(join(shared, 'notes.txt'), 'pinned and guarded\n');
  await lockNpmServer(project, SPEC, { packageArguments: [{ type: 'positional', value: shared }] });
  // The runtime policy: edit_file gives the person 1 s to answer; move_file is refused without elicitation.
  const tools = {
    edit_file: { confirm: { timeoutSeconds: 1 } },
    move_file: { confirm: { withoutElicitation: 'deny' } },
  };
  writeFileSync(
    join(project.root, 'mcp-lock.policy.json'),
    JSON.stringify({ policyVersion: 1, servers: { [NAME]: { tools } } }),
  );
  const command = { command: process.execPath, args: runArgs(project, NAME) };
  asking = await connectSdk(command, { elicitation: { form: {} } });
  asking.client.setRequestHandler(ElicitRequestSchema, (request, extra) => {
    const params = request.params as { message: string; requestedSchema?: unknown };
    questions.push({ message: params.message, schema: params.requestedSchema });
    if (answer === 'yes') return { action: 'accept', content: { confirm: true } };
    if (answer === 'no') return { action: 'accept', content: { confirm: false } };
    if (answer === 'cancel') return { action: 'cancel' };
    // Silent: never answers; mcp-lock withdraws the question (notifications/cancelled) when it gives up.
    return new Promise((resolve) => extra.signal.addEventListener('abort', () => resolve({ action: 'decline' })));
  });
  plain = await connectSdk(command);
}, 300_000);

afterAll(async () => {
  await asking?.close();
  await plain?.close();
  project?.cleanup();
});

describe('asking a person before a destructive call (real server-filesystem, SDK client)', () => {
  it('yes: the question names the server, the tool and the arguments; the call runs', async () => {
    answer = 'yes';
    const result = await write(asking, 'yes.txt', 'written after a yes\u202E');
    expect(result.isError).toBeFalsy();
    expect(readFileSync(join(shared, 'yes.txt'), 'utf8')).toBe('written after a yes\u202E');
    const q = questions.at(-1)!;
    expect(q.message).toContain(`Server: ${NAME}`);
    expect(q.message).toContain('Tool: write_file');
    expect(q.message).toContain(join(shared, 'yes.txt'));
    // Hidden characters in the arguments are shown, not rendered.
    expect(q.message).toContain('written after a yes\\u{202E}');
    expect(q.message).not.toContain('\u202E');
    expect(q.message).toMatch(/destructive/);
    expect(q.schema).toMatchObject({
      type: 'object',
      properties: { confirm: { type: 'boolean' } },
      required: ['confirm'],
    });
    const audit = auditRecords(project, NAME).filter((r) => r.event === 'confirm');
    expect(audit.map((r) => r.decision)).toEqual(['asked', 'confirmed']);
    expect(JSON.stringify(audit)).not.toContain('written after a yes');
  });

  it('no and cancel: the call is refused with -32012 and the server never sees it', async () => {
    for (const [reply, file] of [
      ['no', 'no.txt'],
      ['cancel', 'cancel.txt'],
    ] as const) {
      answer = reply;
      const before = questions.length;
      await expect(write(asking, file, 'must not be written')).rejects.toThrow(/-32012.*not confirmed/);
      expect(questions.length).toBe(before + 1);
      expect(existsSync(join(shared, file)), file).toBe(false);
    }
    const declined = auditRecords(project, NAME).filter((r) => r.event === 'confirm' && r.decision === 'declined');
    expect(declined.map((r) => r.verdict)).toEqual(['declined', 'cancelled']);
    // The session goes on: the next yes runs.
    answer = 'yes';
    await write(asking, 'again.txt', 'ok');
    expect(readFileSync(join(shared, 'again.txt'), 'utf8')).toBe('ok');
  });

  it('no answer in time is a decline: the question is withdrawn and the file is not edited', async () => {
    answer = 'silent';
    const started = Date.now();
    const edit = { path: join(shared, 'notes.txt'), edits: [{ oldText: 'pinned', newText: 'changed' }] };
    await expect(asking.client.callTool({ name: 'edit_file', arguments: edit })).rejects.toThrow(
      /-32012.*no answer within 1 s/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(readFileSync(join(shared, 'notes.txt'), 'utf8')).toBe('pinned and guarded\n');
    expect(auditRecords(project, NAME)).toContainEqual(
      expect.objectContaining({ event: 'confirm', decision: 'declined', verdict: 'timeout', key: 'edit_file' }),
    );
    answer = 'yes';
  });

  it('benign twin: a read-only tool runs without a question', async () => {
    const before = questions.length;
    const read = await asking.client.callTool({
      name: 'read_text_file',
      arguments: { path: join(shared, 'notes.txt') },
    });
    expect(read.content).toEqual([{ type: 'text', text: 'pinned and guarded\n' }]);
    expect(questions.length).toBe(before);
  });

  it('a client without elicitation: the default policy forwards the call and audits it', async () => {
    await write(plain, 'plain.txt', 'no one could be asked');
    expect(readFileSync(join(shared, 'plain.txt'), 'utf8')).toBe('no one could be asked');
    expect(auditRecords(project, NAME)).toContainEqual(
      expect.objectContaining({ event: 'confirm', decision: 'allowed', key: 'write_file' }),
    );
    // Where the policy says deny, the same client is refused, and the server never sees the call.
    const move = { source: join(shared, 'plain.txt'), destination: join(shared, 'moved.txt') };
    await expect(plain.client.callTool({ name: 'move_file', arguments: move })).rejects.toThrow(
      /-32012.*did not declare elicitation/,
    );
    expect(existsSync(join(shared, 'plain.txt'))).toBe(true);
    expect(existsSync(join(shared, 'moved.txt'))).toBe(false);
  });
});
