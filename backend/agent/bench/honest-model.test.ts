import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLEARED_PLACEHOLDER } from '../../hooks/builtin/tool-result-clearing.ts';
import {
  CONTEXT_EDITING_PLACEHOLDER,
  type ContentBlock,
  type RecordedRequest,
  type ScriptedToolUse,
} from '../../testing/messages-server/index.ts';
import { HonestModel, MAX_ATTEMPTS, ModelView, readOf, type Step } from './honest-model.ts';

const view = (path: string, range?: [number, number]): ScriptedToolUse => ({
  name: 'str_replace_based_edit_tool',
  input:
    range === undefined ? { command: 'view', path } : { command: 'view', path, view_range: range },
});
const edit = (path: string): ScriptedToolUse => ({
  name: 'str_replace_based_edit_tool',
  input: { command: 'str_replace', path, old_str: 'a', new_str: 'b' },
});
const bash = (command: string): ScriptedToolUse => ({ name: 'bash', input: { command } });
const FILE = 'x'.repeat(2000);
/** An editor view's numbered lines `from` to `to`, as the tool shows them. */
const numbered = (from: number, to: number) =>
  Array.from(
    { length: to - from + 1 },
    (_, i) => `${String(from + i).padStart(6)}\tline ${from + i}`,
  ).join('\n');
const NUMBERED_FILE = numbered(1, 100);

/** A request holding `turns`: each a list of calls with the result the model was sent for each. */
function request(turns: Array<Array<[ScriptedToolUse, string]>>): Pick<RecordedRequest, 'params'> {
  let n = 0;
  const messages: Array<{ role: 'user' | 'assistant'; content: ContentBlock[] }> = [
    { role: 'user', content: [{ type: 'text', text: 'task' }] },
  ];
  for (const turn of turns) {
    const ids = turn.map(() => `toolu_${n++}`);
    messages.push({
      role: 'assistant',
      content: turn.map(([use], i) => ({
        type: 'tool_use',
        id: ids[i],
        name: use.name,
        input: use.input,
      })),
    });
    messages.push({
      role: 'user',
      content: turn.map(([, text], i) => ({
        type: 'tool_result',
        tool_use_id: ids[i],
        content: text,
      })),
    });
  }
  return { params: { messages } as unknown as RecordedRequest['params'] };
}

/** The model's turn after it played every step but the last, given what it was sent. */
function after(plan: Step[], turns: Array<Array<[ScriptedToolUse, string]>>): HonestModel {
  const model = new HonestModel(plan);
  // Play the steps up to the last one against growing requests.
  for (let i = 0; i < turns.length; i++) model.next(request(turns.slice(0, i)));
  return model;
}

const uses = (turn: ReturnType<HonestModel['next']>) => turn?.toolUses?.map((u) => u.input) ?? [];

test('a read whose result is in view and unchanged is not made again', () => {
  const plan: Step[] = [[{ use: view('a.ts') }], [{ use: view('a.ts') }, { use: bash('ls') }]];
  const model = after(plan, [[[view('a.ts'), FILE]]]);
  assert.deepEqual(uses(model.next(request([[[view('a.ts'), FILE]]]))), [{ command: 'ls' }]);
  assert.equal(model.counts.skippedInView, 1);
});

test('a read cleared to either placeholder is not in view, and the model reads it again', () => {
  for (const placeholder of [CLEARED_PLACEHOLDER, CONTEXT_EDITING_PLACEHOLDER]) {
    const cleared = request([[[view('a.ts'), placeholder]], [[bash('ls'), 'ok']]]);
    assert.equal(new ModelView(cleared).inView(readOf(view('a.ts'))!), false);
    const plan: Step[] = [[{ use: view('a.ts') }], [{ use: bash('ls') }], [{ use: view('a.ts') }]];
    const model = after(plan, [[[view('a.ts'), FILE]], [[bash('ls'), 'ok']]]);
    assert.deepEqual(uses(model.next(cleared)), [{ command: 'view', path: 'a.ts' }]);
    assert.equal(model.counts.rereadsNotInView, 1);
  }
});

test('a reference counts only while the result it points to is in view', () => {
  const reference =
    '[Unchanged: you already received this exact result in tool_use_id toolu_0 (view a.ts), …]';
  const a = readOf(view('a.ts'))!;
  const kept = request([[[view('a.ts'), FILE]], [[view('a.ts'), reference]]]);
  assert.equal(new ModelView(kept).inView(a), true);
  const gone = request([[[view('a.ts'), CLEARED_PLACEHOLDER]], [[view('a.ts'), reference]]]);
  assert.equal(new ModelView(gone).inView(a), false);
});

test('a file is read again after its own edit, and after a shell command the plan says rewrites it', () => {
  const plan: Step[] = [
    [{ use: view('a.ts') }],
    [{ use: bash('sed -i s/a/b/ a.ts'), changes: ['a.ts'] }],
    [{ use: view('a.ts') }, { use: view('b.ts') }],
  ];
  const sent: Array<Array<[ScriptedToolUse, string]>> = [
    [
      [view('a.ts'), FILE],
      [view('b.ts'), FILE],
    ],
    [[bash('sed -i s/a/b/ a.ts'), '']],
  ];
  const model = after(plan, sent);
  assert.deepEqual(uses(model.next(request(sent))), [{ command: 'view', path: 'a.ts' }]);
  assert.equal(model.counts.rereadsNotInView, 0, 'a changed file is not a re-read of lost content');

  const own: Step[] = [[{ use: view('a.ts') }], [{ use: edit('a.ts') }], [{ use: view('a.ts') }]];
  const edited: Array<Array<[ScriptedToolUse, string]>> = [
    [[view('a.ts'), FILE]],
    [[edit('a.ts'), 'ok']],
  ];
  assert.deepEqual(uses(after(own, edited).next(request(edited))), [
    { command: 'view', path: 'a.ts' },
  ]);
});

test('a range inside a whole-file view in sight is not read; one outside a range view is', () => {
  const plan: Step[] = [
    [{ use: view('a.ts') }],
    [{ use: view('a.ts', [10, 20]) }, { use: bash('ls') }],
  ];
  const model = after(plan, [[[view('a.ts'), NUMBERED_FILE]]]);
  assert.deepEqual(uses(model.next(request([[[view('a.ts'), NUMBERED_FILE]]]))), [
    { command: 'ls' },
  ]);

  const ranges: Step[] = [[{ use: view('a.ts', [1, 50]) }], [{ use: view('a.ts', [40, 90]) }]];
  const sent: Array<Array<[ScriptedToolUse, string]>> = [
    [[view('a.ts', [1, 50]), numbered(1, 50)]],
  ];
  assert.deepEqual(uses(after(ranges, sent).next(request(sent))), [
    { command: 'view', path: 'a.ts', view_range: [40, 90] },
  ]);
});

test('a range the editor cut from the middle of a long whole-file view is read; one it showed is not', () => {
  const cut = `${numbered(1, 30)}\n[… 1234 characters (40 lines) cut from the middle of this output; 9999 characters in total …]\n${numbered(71, 100)}`;
  const sent: Array<Array<[ScriptedToolUse, string]>> = [[[view('a.ts'), cut]]];
  const inside: Step[] = [
    [{ use: view('a.ts') }],
    [{ use: view('a.ts', [75, 90]) }, { use: bash('ls') }],
  ];
  assert.deepEqual(uses(after(inside, sent).next(request(sent))), [{ command: 'ls' }]);
  const across: Step[] = [[{ use: view('a.ts') }], [{ use: view('a.ts', [20, 50]) }]];
  assert.deepEqual(uses(after(across, sent).next(request(sent))), [
    { command: 'view', path: 'a.ts', view_range: [20, 50] },
  ]);
});

test('an edit of a file not in view is preceded by a read of it, in a turn of its own', () => {
  const plan: Step[] = [[{ use: view('a.ts') }], [{ use: bash('ls') }], [{ use: edit('a.ts') }]];
  const model = after(plan, [[[view('a.ts'), FILE]], [[bash('ls'), 'ok']]]);
  const sent: Array<Array<[ScriptedToolUse, string]>> = [
    [[view('a.ts'), CLEARED_PLACEHOLDER]],
    [[bash('ls'), 'ok']],
  ];
  assert.deepEqual(uses(model.next(request(sent))), [{ command: 'view', path: 'a.ts' }]);
  assert.equal(model.counts.readsBeforeEdit, 1);
  const read: Array<Array<[ScriptedToolUse, string]>> = [...sent, [[view('a.ts'), FILE]]];
  assert.equal(model.next(request(read))?.toolUses?.[0]?.input['command'], 'str_replace');
});

test('a read that arrives already cleared is made again, at most MAX_ATTEMPTS times', () => {
  const plan: Step[] = [[{ use: view('a.ts') }], [{ use: bash('ls') }]];
  const model = new HonestModel(plan);
  assert.deepEqual(uses(model.next(request([]))), [{ command: 'view', path: 'a.ts' }]);
  const sent: Array<Array<[ScriptedToolUse, string]>> = [];
  for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
    sent.push([[view('a.ts'), CLEARED_PLACEHOLDER]]);
    assert.deepEqual(uses(model.next(request(sent))), [{ command: 'view', path: 'a.ts' }]);
  }
  sent.push([[view('a.ts'), CLEARED_PLACEHOLDER]]);
  assert.deepEqual(uses(model.next(request(sent))), [{ command: 'ls' }]);
  assert.equal(model.counts.rereadsNotInView, MAX_ATTEMPTS - 1);
});
