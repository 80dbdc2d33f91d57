import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentSummary, EventMap } from '../../../../backend/protocol/index.ts';
import { agentSummary } from '../../testing/fixtures';
import { BackendError, FakeTransport } from '../../testing/fake-transport';
import { ProtocolClient } from '../core/protocol-client';
import { PROTOCOL_TRANSPORT } from '../core/transport-provider';
import { AgentStore } from './agent-store';
import { ControlTiming } from './control-timing';

function stateEvent(agent: AgentSummary): EventMap['agent.state'] {
  return { agentId: agent.id, state: agent.state, reason: agent.stateReason, agent };
}

describe('AgentStore', () => {
  let transport: FakeTransport;
  let store: AgentStore;

  beforeEach(() => {
    transport = new FakeTransport();
    TestBed.configureTestingModule({
      providers: [{ provide: PROTOCOL_TRANSPORT, useValue: transport }],
    });
    store = new AgentStore(
      agentSummary({ updatedAt: 1000 }),
      TestBed.inject(ProtocolClient),
      TestBed.inject(ControlTiming),
    );
  });

  const texts = () => store.transcript.items().map((i) => ('text' in i ? i.text : i.kind));

  it('never replaces a newer summary by an older one', () => {
    store.onState(stateEvent(agentSummary({ state: 'paused', updatedAt: 3000 })));
    store.onState(stateEvent(agentSummary({ state: 'running', updatedAt: 2000 })));
    expect(store.state()).toBe('paused');
  });

  it('shows a pause at once, then takes the backend answer, until the agent holds', async () => {
    transport.handle('agent.pause', () => agentSummary({ state: 'running', updatedAt: 2000 }));
    const paused = store.pause();
    expect(store.pending()).toBe('pause');
    await paused;
    expect(store.pending()).toBeNull();
    expect(store.pauseRequested()).toBe(true);
    expect(transport.sent.map((r) => r.method)).toEqual(['agent.pause']);

    store.onState(stateEvent(agentSummary({ state: 'paused', updatedAt: 3000 })));
    expect(store.pauseRequested()).toBe(false);
  });

  it('sends one control at a time', async () => {
    transport.handle('agent.stop', () => agentSummary({ state: 'stopped', updatedAt: 2000 }));
    const first = store.stop();
    const second = store.stop();
    await Promise.all([first, second]);
    expect(transport.sent.map((r) => r.method)).toEqual(['agent.stop']);
  });

  it('says why a control failed and keeps the summary it had', async () => {
    transport.handle('agent.stop', () => {
      throw new BackendError('conflict', 'The agent already ended');
    });
    await store.stop();
    expect(store.error()).toBe('Could not stop: The agent already ended');
    expect(store.state()).toBe('running');
    expect(store.pending()).toBeNull();
  });

  it('approves the call that is waiting, by its id', async () => {
    const approval = {
      toolUseId: 't7',
      tool: 'bash',
      input: { command: 'rm -rf build' },
      reason: 'recursive forced delete',
      preview: 'rm -rf build',
    };
    store.onApproval({ agentId: 'a1', approval });
    expect(store.summary().pendingApproval).toEqual(approval);
    transport.handle('agent.approve', () => agentSummary({ updatedAt: 2000 }));
    await store.approve();
    expect(transport.sent.map((r) => [r.method, r.params])).toEqual([
      ['agent.approve', { id: 'a1', toolUseId: 't7' }],
    ]);
  });

  it('queues a steer at once and lets it go when the agent takes it in', async () => {
    transport.handle('agent.steer', () => agentSummary({ queuedMessages: 1, updatedAt: 2000 }));
    const sent = store.steer('Use tabs');
    expect(store.queued()).toEqual(['Use tabs']);
    expect(await sent).toBe(true);
    expect(store.queued()).toEqual(['Use tabs']);

    store.onTranscript({
      agentId: 'a1',
      entry: { kind: 'user_message', text: 'Use tabs', source: 'steer' },
    });
    expect(store.queued()).toEqual([]);
  });

  it('takes a steer the backend refused out of the queue, and says why', async () => {
    transport.handle('agent.steer', () => {
      throw new BackendError('not_found', 'No agent a1');
    });
    expect(await store.steer('Use tabs')).toBe(false);
    expect(store.queued()).toEqual([]);
    expect(store.error()).toBe('The message was not sent: No agent a1');
  });

  it('keeps what arrived while the stored transcript was loading, without doubles', async () => {
    const loaded = store.load();
    const request = transport.sent[0]!;
    expect(request.method).toBe('agent.get');
    const task = { seq: 0, role: 'user' as const, createdAt: 0 };
    const first = { seq: 1, role: 'assistant' as const, createdAt: 1 };
    store.onTranscript({
      agentId: 'a1',
      entry: {
        kind: 'message',
        message: { ...first, content: [{ type: 'text', text: 'First.' }] },
      },
    });
    store.onTranscript({ agentId: 'a1', entry: { kind: 'text_delta', text: 'Second' } });
    transport.respond(request.id, {
      ...agentSummary({ updatedAt: 1500 }),
      transcript: [
        { ...task, content: [{ type: 'text', text: 'Fix the bug' }] },
        { ...first, content: [{ type: 'text', text: 'First.' }] },
      ],
    });
    await loaded;
    expect(texts()).toEqual(['Fix the bug', 'First.', 'Second']);
  });

  it('says once in the conversation why a run stopped', () => {
    const stopped = agentSummary({
      state: 'stopped',
      stateReason: "Stopped: this agent's budget of $1.00 is spent",
      budgetUsd: 1,
      updatedAt: 2000,
    });
    store.onState(stateEvent(stopped));
    store.onState(stateEvent({ ...stopped, updatedAt: 2001 }));
    expect(texts()).toEqual(["Stopped: this agent's budget of $1.00 is spent"]);
  });

  it('keeps the instruction files the prompt holds and says when they changed', () => {
    const event: EventMap['agent.instructions'] = {
      agentId: store.id,
      files: [
        { path: '/repo/CLAUDE.md', kind: 'project', tokens: 120 },
        { path: '/repo/docs/style.md', kind: 'import', tokens: 30, importedBy: '/repo/CLAUDE.md' },
      ],
      tokens: 150,
      notes: [],
      changed: false,
    };
    store.onInstructions(event);
    store.onInstructions({ ...event, changed: true, tokens: 160 });
    expect(store.instructions()?.tokens).toBe(160);
    expect(texts()).toEqual([
      'Instruction files in the system prompt: repo/CLAUDE.md, docs/style.md (~150 tokens).',
      'Instruction files changed: repo/CLAUDE.md, docs/style.md (~160 tokens). The cached prompt prefix is rewritten at this turn.',
    ]);
  });

  it('offers a raised budget after its own budget stopped it', () => {
    expect(store.raisedBudget()).toBeNull();
    const usage = { ...agentSummary().usage, costUsd: 1.5 };
    store.onState(
      stateEvent(
        agentSummary({
          state: 'stopped',
          stateReason: "Stopped: this agent's budget of $1.00 is spent",
          budgetUsd: 1,
          usage,
          updatedAt: 2000,
        }),
      ),
    );
    expect(store.raisedBudget()).toBe(2.25);
  });

  it('shows a model error until the model writes again', () => {
    store.onError({
      agentId: 'a1',
      kind: 'overloaded',
      message: 'Overloaded',
      retrying: true,
      attempt: 1,
    });
    expect(store.modelError()?.message).toBe('Overloaded');
    expect(texts()).toEqual([]);
    store.onTranscript({ agentId: 'a1', entry: { kind: 'text_delta', text: 'Back' } });
    expect(store.modelError()).toBeNull();

    store.onError({
      agentId: 'a1',
      kind: 'auth',
      message: 'Invalid API key',
      retrying: false,
      attempt: 1,
    });
    expect(texts()).toEqual(['Back', 'Invalid API key']);
  });

  it('takes usage, budget and cache figures from a usage event', () => {
    const total = { ...agentSummary().usage, requests: 4, costUsd: 0.5 };
    store.onUsage({
      agentId: 'a1',
      turn: { ...total, costUsd: 0.1 },
      model: 'claude-sonnet-5-5',
      total,
      byModel: [{ model: 'claude-sonnet-5-5', requests: 4, costUsd: 0.5 }],
      budgetUsd: 5,
      globalSpentUsd: 0.5,
      globalBudgetUsd: null,
      priceKnown: false,
      cache: { lookups: 3, hits: 2, misses: 1, references: 0, savedTokens: 10, servedTokens: 5 },
      context: { tokens: 900, window: 200_000, compactions: 0 },
    });
    expect(store.summary()).toMatchObject({
      usage: total,
      budgetUsd: 5,
      cache: { hits: 2 },
      context: { tokens: 900 },
    });
    expect(store.priceKnown()).toBe(false);
    expect(store.byModel()).toEqual([{ model: 'claude-sonnet-5-5', requests: 4, costUsd: 0.5 }]);
  });

  it('says in the conversation when a failing model hands over to the next of its chain', () => {
    store.onError({
      agentId: 'a1',
      kind: 'overloaded',
      message: 'The API is overloaded (529); retrying…',
      retrying: true,
      attempt: 3,
    });
    store.onModel({
      agentId: 'a1',
      alias: 'coder',
      from: { provider: 'anthropic', model: 'claude-sonnet-5-5' },
      to: { provider: 'openai', model: 'gpt-4.1' },
      reason: 'The API is overloaded (529) after 3 attempts. Resume in a while.',
      faultKind: 'overloaded',
    });
    expect(texts().at(-1)).toBe(
      "Switched from anthropic:claude-sonnet-5-5 to openai:gpt-4.1 (the coder alias's next model): The API is overloaded (529) after 3 attempts. Resume in a while.",
    );
    expect(store.modelError()).toBeNull();
  });
});
