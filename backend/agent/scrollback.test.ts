import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AgentSummary } from '../protocol/agent.ts';
import { EventBus } from '../bus/events.ts';
import { readFileSync } from 'node:fs';
import { Redactor } from '../redaction/redact.ts';
import { MAX_SCROLLBACK_CHARS, ScrollbackRecorder } from './scrollback.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(): { events: EventBus; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'troika-scrollback-'));
  dirs.push(dataDir);
  return { events: new EventBus(), dataDir };
}

/** An agent.state event that says which terminal is the agent's. */
function owns(events: EventBus, agentId: string, ptyId: string): void {
  events.publish('agent.state', {
    agentId,
    state: 'running',
    reason: null,
    agent: { id: agentId, ptyId } as AgentSummary,
  });
}

test("an agent's terminal output is recorded, and only its own", () => {
  const { events, dataDir } = setup();
  const recorder = new ScrollbackRecorder(events, dataDir, new Redactor());
  owns(events, 'agent-a', 'pty-1');
  events.publish('pty.data', { id: 'pty-1', data: '$ echo hi\r\nhi\r\n', seq: 14 });
  events.publish('pty.data', { id: 'pty-2', data: 'a user shell\r\n', seq: 14 });
  assert.deepEqual(recorder.read('agent-a'), { data: '$ echo hi\r\nhi\r\n', truncated: false });
  recorder.dispose();
});

test("a user shell's output is never decoded to text: the recorder reads only agents' terminals", () => {
  const { events, dataDir } = setup();
  const recorder = new ScrollbackRecorder(events, dataDir, new Redactor());
  owns(events, 'agent-a', 'pty-1');
  let decoded = 0;
  events.publish('pty.data', {
    id: 'pty-2',
    seq: 5,
    get data() {
      decoded++;
      return 'shell';
    },
  });
  assert.equal(decoded, 0);
  recorder.dispose();
});

test('the recording outlives the process: a new recorder reads it back, and a resumed run appends to it', () => {
  const { events, dataDir } = setup();
  const first = new ScrollbackRecorder(events, dataDir, new Redactor());
  owns(events, 'agent-a', 'pty-1');
  events.publish('pty.data', { id: 'pty-1', data: 'first run\r\n', seq: 11 });
  first.dispose();

  const again = new EventBus();
  const second = new ScrollbackRecorder(again, dataDir, new Redactor());
  assert.equal(second.read('agent-a').data, 'first run\r\n');
  owns(again, 'agent-a', 'pty-9');
  again.publish('pty.data', { id: 'pty-9', data: 'second run\r\n', seq: 12 });
  assert.equal(second.read('agent-a').data, 'first run\r\nsecond run\r\n');
  second.dispose();
});

test('a long recording keeps its newest part, from a line start, and says it was cut', () => {
  const { events, dataDir } = setup();
  const recorder = new ScrollbackRecorder(events, dataDir, new Redactor());
  owns(events, 'agent-a', 'pty-1');
  const line = `${'x'.repeat(99)}\n`;
  for (let i = 0; i < (MAX_SCROLLBACK_CHARS / line.length) * 2; i++)
    events.publish('pty.data', { id: 'pty-1', data: line, seq: 0 });
  events.publish('pty.data', { id: 'pty-1', data: 'the end\n', seq: 0 });
  const { data, truncated } = recorder.read('agent-a');
  assert.equal(truncated, true);
  assert.ok(data.length <= MAX_SCROLLBACK_CHARS);
  assert.ok(data.startsWith('x'), 'starts at a line');
  assert.ok(data.endsWith('the end\n'));
  recorder.dispose();
});

test('a secret a command printed is redacted in the saved file and in what is read back', () => {
  const { events, dataDir } = setup();
  const key = 'sk-ant-api03-' + 'Q'.repeat(40);
  const redactor = new Redactor();
  redactor.addSecret('hunter2-configured-secret-value', 'configured');
  const recorder = new ScrollbackRecorder(events, dataDir, redactor);
  owns(events, 'agent-s', 'pty-9');
  events.publish('pty.data', {
    id: 'pty-9',
    data: `$ cat .env\r\nANTHROPIC_API_KEY=${key}\r\nX=hunter2-configured-`,
    seq: 1,
  });
  events.publish('pty.data', { id: 'pty-9', data: 'secret-value\r\n', seq: 2 });
  recorder.flush();
  const saved = readFileSync(join(dataDir, 'agents', 'agent-s', 'terminal.log'), 'utf8');
  for (const text of [saved, recorder.read('agent-s').data]) {
    assert.equal(text.includes(key), false);
    assert.equal(text.includes('hunter2-configured-secret-value'), false);
    assert.match(text, /REDACTED/);
  }
  recorder.dispose();
});
