/**
 * What a new user met in the first hour (issue 18) and truthful results
 * (issue 15, item 6), at the level of the console's models: each fails on
 * the code before the fix.
 */
import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentSummary, EventMap } from '../../../../backend/protocol/index.ts';
import { agentSummary } from '../../testing/fixtures';
import { FakeTransport } from '../../testing/fake-transport';
import { ProtocolClient } from '../core/protocol-client';
import { PROTOCOL_TRANSPORT } from '../core/transport-provider';
import { AgentStore } from './agent-store';
import { ControlTiming } from './control-timing';
import { toolStatus } from './tool-call-view';
import { TranscriptModel, type TranscriptItem } from './transcript-model';

function stateEvent(agent: AgentSummary): EventMap['agent.state'] {
  return { agentId: agent.id, state: agent.state, reason: agent.stateReason, agent };
}

type ToolItem = Extract<TranscriptItem, { kind: 'tool' }>;

function bash(content: string, isError = false): ToolItem {
  return {
    kind: 'tool',
    key: 1,
    id: 't1',
    name: 'bash',
    input: { command: 'npm test' },
    result: { content, isError },
    running: false,
    decision: null,
  };
}

describe('first contact: the console', () => {
  let store: AgentStore;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [{ provide: PROTOCOL_TRANSPORT, useValue: new FakeTransport() }],
    });
    store = new AgentStore(
      agentSummary({ state: 'running', updatedAt: 1000 }),
      TestBed.inject(ProtocolClient),
      TestBed.inject(ControlTiming),
    );
  });

  it('shows a finish report once: no "Complete: …" line beside the report card', () => {
    const report = {
      status: 'COMPLETE' as const,
      summary: 'Fixed the test.',
      assumptions: [],
      blockers: [],
      question: null,
    };
    store.onFinish({ agentId: 'a1', toolUseId: 'f1', report });
    store.onState(
      stateEvent(
        agentSummary({ state: 'done', stateReason: 'Complete: Fixed the test.', updatedAt: 2000 }),
      ),
    );
    const items = store.transcript.items();
    expect(items.map((i) => i.kind)).toEqual(['report']);
  });

  it('still says why a run without a report ended', () => {
    store.onState(stateEvent(agentSummary({ state: 'done', stateReason: null, updatedAt: 2000 })));
    expect(store.transcript.items()).toMatchObject([
      { kind: 'notice', text: 'The agent finished its task.' },
    ]);
  });

  it('leaves no typing cursor after a stop cut a reply off', () => {
    store.onTranscript({ agentId: 'a1', entry: { kind: 'text_delta', text: 'Half a sen' } });
    expect(store.transcript.items()[0]).toMatchObject({ kind: 'assistant', streaming: true });
    store.onState(
      stateEvent(
        agentSummary({ state: 'stopped', stateReason: 'Stopped by the user', updatedAt: 2000 }),
      ),
    );
    expect(store.transcript.items()[0]).toMatchObject({
      kind: 'assistant',
      text: 'Half a sen',
      streaming: false,
    });
  });
});

describe('first contact: the transcript', () => {
  it('labels a message to a finished agent as continuing it, and one during a run as a steer', () => {
    const model = new TranscriptModel();
    model.apply({ kind: 'user_message', text: 'Fix it', source: 'task' });
    model.apply({ kind: 'tool_call', toolUseId: 't1', name: 'bash', input: { command: 'ls' } });
    model.apply({ kind: 'tool_result', toolUseId: 't1', content: 'a', isError: false });
    model.apply({ kind: 'user_message', text: 'Use tabs', source: 'steer' });
    model.apply({
      kind: 'tool_call',
      toolUseId: 'f1',
      name: 'finish',
      input: { status: 'COMPLETE', summary: 'Done.' },
    });
    model.notice('info', 'The agent finished its task.');
    model.apply({ kind: 'user_message', text: 'Now add a test', source: 'steer' });
    const users = model.items().filter((i) => i.kind === 'user');
    expect(users.map((u) => u.source)).toEqual(['task', 'steer', 'continue']);
  });

  it('reads a stored continuation the same way', () => {
    const model = new TranscriptModel();
    model.load([
      { seq: 1, role: 'user', content: [{ type: 'text', text: 'Fix it' }], createdAt: 1 },
      { seq: 2, role: 'assistant', content: [{ type: 'text', text: 'Fixed.' }], createdAt: 2 },
      { seq: 3, role: 'user', content: [{ type: 'text', text: 'And the docs' }], createdAt: 3 },
    ]);
    expect(model.items().filter((i) => i.kind === 'user')).toMatchObject([
      { source: 'task' },
      { source: 'continue', text: 'And the docs' },
    ]);
  });
});

describe('first contact: a tool call result', () => {
  it('is failed, with its code, when the command exited non-zero', () => {
    expect(toolStatus(bash('1 failing test\n\nExit code: 1'))).toBe('failed (exit 1)');
  });

  it('is failed with the code of an interrupted command', () => {
    expect(
      toolStatus(
        bash(
          '…\n\nThe command was interrupted by the user and was interrupted with Ctrl-C (exit code 130).',
          true,
        ),
      ),
    ).toBe('failed (exit 130)');
  });

  it('is ok when the command exited 0, even if its output mentions an exit code', () => {
    expect(toolStatus(bash('Exit code: 1 is what the old version printed'))).toBe('ok');
  });
});
