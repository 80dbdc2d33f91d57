import { describe, expect, it } from 'vitest';
import type { TranscriptMessage } from '../../../../backend/protocol/index.ts';
import { TranscriptModel, type TranscriptItem } from './transcript-model';

/** The items without their keys, which only identify them for rendering. */
function itemsOf(model: TranscriptModel): Omit<TranscriptItem, 'key'>[] {
  return model.items().map(({ key: _key, ...item }) => item);
}

function message(
  seq: number,
  role: 'user' | 'assistant',
  content: TranscriptMessage['content'],
): TranscriptMessage {
  return { seq, role, content, createdAt: seq };
}

describe('TranscriptModel', () => {
  it('streams text deltas into one assistant item, replaced by the stored message', () => {
    const model = new TranscriptModel();
    model.setPersona('reviewer');
    model.apply({ kind: 'text_delta', text: 'Look' });
    model.apply({ kind: 'text_delta', text: 'ing now' });
    expect(itemsOf(model)).toEqual([
      { kind: 'assistant', text: 'Looking now', streaming: true, persona: 'reviewer' },
    ]);

    model.apply({
      kind: 'message',
      message: message(1, 'assistant', [{ type: 'text', text: 'Looking now.' }]),
    });
    expect(itemsOf(model)).toEqual([
      { kind: 'assistant', text: 'Looking now.', streaming: false, persona: 'reviewer' },
    ]);
  });

  it('drops a broken-off reply and says it is tried again', () => {
    const model = new TranscriptModel();
    model.apply({ kind: 'text_delta', text: 'Half a sen' });
    model.apply({ kind: 'turn_discarded', reason: 'overloaded' });
    expect(itemsOf(model)).toEqual([
      {
        kind: 'notice',
        level: 'warning',
        text: 'The reply broke off and is tried again: overloaded',
      },
    ]);
  });

  it('shows a tool call running, then its result', () => {
    const model = new TranscriptModel();
    model.apply({ kind: 'tool_call', toolUseId: 't1', name: 'bash', input: { command: 'ls' } });
    expect(model.items()[0]).toMatchObject({ kind: 'tool', running: true, result: null });

    model.apply({ kind: 'tool_result', toolUseId: 't1', content: 'README.md', isError: false });
    expect(model.items()[0]).toMatchObject({
      kind: 'tool',
      name: 'bash',
      input: { command: 'ls' },
      running: false,
      result: { content: 'README.md', isError: false },
      decision: null,
    });
  });

  it('marks a held call as awaiting approval, then as approved or denied by its result', () => {
    const model = new TranscriptModel();
    model.apply({ kind: 'tool_call', toolUseId: 't1', name: 'bash', input: {} });
    model.apply({ kind: 'tool_call', toolUseId: 't2', name: 'bash', input: {} });
    model.approvalAsked('t1');
    model.approvalAsked('t2');
    expect(model.items().map((i) => (i.kind === 'tool' ? i.decision : null))).toEqual([
      'awaiting approval',
      'awaiting approval',
    ]);

    model.apply({ kind: 'tool_result', toolUseId: 't1', content: 'done', isError: false });
    model.apply({
      kind: 'tool_result',
      toolUseId: 't2',
      content: 'The user denied this tool call: not now',
      isError: true,
    });
    expect(model.items().map((i) => (i.kind === 'tool' ? i.decision : null))).toEqual([
      'approved',
      'denied by you',
    ]);
  });

  it('shows a call the policy blocked as blocked, though nobody was asked', () => {
    const model = new TranscriptModel();
    model.apply({ kind: 'tool_call', toolUseId: 't1', name: 'bash', input: {} });
    model.apply({
      kind: 'tool_result',
      toolUseId: 't1',
      content: 'This tool call was blocked by the policy hook: rm -rf /',
      isError: true,
    });
    expect(model.items()[0]).toMatchObject({ decision: 'blocked by policy' });
  });

  it('shows the finish call as a report, and the user answer to its question', () => {
    const model = new TranscriptModel();
    model.apply({
      kind: 'tool_call',
      toolUseId: 'f1',
      name: 'finish',
      input: {
        status: 'NEEDS_CLARIFICATION',
        summary: 'Two ways to do it',
        question: 'Which one?',
      },
    });
    expect(itemsOf(model)).toEqual([
      {
        kind: 'report',
        id: 'f1',
        report: {
          status: 'NEEDS_CLARIFICATION',
          summary: 'Two ways to do it',
          assumptions: [],
          blockers: [],
          question: 'Which one?',
        },
        answer: null,
      },
    ]);
    model.apply({ kind: 'tool_result', toolUseId: 'f1', content: 'The first', isError: false });
    expect(model.items()[0]).toMatchObject({ kind: 'report', answer: 'The first' });
  });

  it('rebuilds from stored messages: the task first, then steers and runtime notes', () => {
    const model = new TranscriptModel();
    model.load([
      message(0, 'user', [{ type: 'text', text: 'Fix the bug' }]),
      message(1, 'assistant', [
        { type: 'text', text: 'Reading.' },
        { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a.ts' } },
      ]),
      message(2, 'user', [
        { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'code' }] },
        { type: 'text', text: 'Use tabs' },
      ]),
      message(3, 'user', [
        { type: 'text', text: 'Your reply reached the output token limit; go on.' },
      ]),
      message(4, 'user', [{ type: 'text', text: 'Stop hook feedback:\nRun the tests first.' }]),
    ]);
    expect(itemsOf(model)).toEqual([
      { kind: 'user', source: 'task', text: 'Fix the bug' },
      { kind: 'assistant', text: 'Reading.', streaming: false, persona: null },
      {
        kind: 'tool',
        id: 't1',
        name: 'read_file',
        input: { path: 'a.ts' },
        result: { content: 'code', isError: false },
        running: false,
        decision: null,
      },
      { kind: 'user', source: 'steer', text: 'Use tabs' },
      {
        kind: 'user',
        source: 'note',
        text: 'Your reply reached the output token limit; go on.',
      },
      { kind: 'user', source: 'note', text: 'Stop hook feedback:\nRun the tests first.' },
    ]);
  });

  it('does not show a stored assistant message twice', () => {
    const model = new TranscriptModel();
    const stored = message(1, 'assistant', [{ type: 'text', text: 'Once.' }]);
    model.apply({ kind: 'message', message: stored });
    model.apply({ kind: 'message', message: stored });
    expect(model.items()).toHaveLength(1);
  });

  it('says the same notice once when it comes twice in a row', () => {
    const model = new TranscriptModel();
    model.notice('warning', 'Stopped by budget');
    model.notice('warning', 'Stopped by budget');
    model.notice('info', 'Persona changed', 'Persona');
    expect(itemsOf(model)).toEqual([
      { kind: 'notice', level: 'warning', text: 'Stopped by budget' },
      { kind: 'notice', level: 'info', text: 'Persona changed', source: 'Persona' },
    ]);
  });

  it('shows a user message once and leaves answers to the question they answer', () => {
    const model = new TranscriptModel();
    model.apply({ kind: 'user_message', text: 'Also add tests', source: 'steer' });
    model.apply({ kind: 'user_message', text: 'Also add tests', source: 'steer' });
    model.apply({ kind: 'user_message', text: 'Yes', source: 'answer' });
    expect(itemsOf(model)).toEqual([{ kind: 'user', source: 'steer', text: 'Also add tests' }]);
  });

  it('gives every item its own key', () => {
    const model = new TranscriptModel();
    model.apply({ kind: 'user_message', text: 'one', source: 'task' });
    model.apply({ kind: 'text_delta', text: 'two' });
    model.notice('info', 'three');
    const keys = model.items().map((i) => i.key);
    expect(new Set(keys).size).toBe(3);
  });
});
