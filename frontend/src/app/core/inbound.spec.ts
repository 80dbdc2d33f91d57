import { TestBed } from '@angular/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { agentSummary } from '../../testing/fixtures';
import { FakeTransport } from '../../testing/fake-transport';
import { PlanCheckSchema } from '../../../../backend/protocol/payloads/plans.ts';
import { checkResult, checkServerMessage } from './inbound';
import { ProtocolClient, RequestError } from './protocol-client';
import { PROTOCOL_TRANSPORT } from './transport-provider';

describe('checkServerMessage', () => {
  it('passes a well-formed event with its payload', () => {
    const warn = vi.fn();
    const data = { agentId: 'a1', entry: { kind: 'text_delta', text: 'Hello' } };
    const message = checkServerMessage(
      JSON.stringify({ type: 'event', event: 'agent.transcript', data }),
      warn,
    );
    expect(message).toEqual({ type: 'event', event: 'agent.transcript', data });
    expect(warn).not.toHaveBeenCalled();
  });

  it('drops an event whose payload is wrong, naming the event and the field', () => {
    const warn = vi.fn();
    const agent = { ...agentSummary(), usage: { ...agentSummary().usage, costUsd: 'a lot' } };
    const message = checkServerMessage(
      JSON.stringify({
        type: 'event',
        event: 'agent.state',
        data: { agentId: 'a1', state: 'running', reason: null, agent },
      }),
      warn,
    );
    expect(message).toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /event "agent\.state".*agent\.usage\.costUsd: .*number/,
    );
  });

  it('checks landing events: a gate result passes, one with an unknown status is dropped', () => {
    const warn = vi.fn();
    const gate = { runId: 'r1', agentId: 'a1', gate: 'test', exitCode: 1, durationMs: 12 };
    const good = checkServerMessage(
      JSON.stringify({ type: 'event', event: 'landing.gate', data: { ...gate, status: 'failed' } }),
      warn,
    );
    expect(good).toEqual({
      type: 'event',
      event: 'landing.gate',
      data: { ...gate, status: 'failed' },
    });
    const bad = checkServerMessage(
      JSON.stringify({ type: 'event', event: 'landing.gate', data: { ...gate, status: 'meh' } }),
      warn,
    );
    expect(bad).toBeUndefined();
    expect(warn.mock.calls[0]?.[0]).toMatch(/"landing\.gate".*status/);
  });

  it('drops a transcript entry of an unknown kind', () => {
    const warn = vi.fn();
    const message = checkServerMessage(
      JSON.stringify({
        type: 'event',
        event: 'agent.transcript',
        data: { agentId: 'a1', entry: { kind: 'telepathy', text: 'hi' } },
      }),
      warn,
    );
    expect(message).toBeUndefined();
    expect(warn.mock.calls[0]?.[0]).toMatch(/"agent\.transcript".*entry\.kind/);
  });

  it('drops an event the protocol does not have', () => {
    const warn = vi.fn();
    const raw = JSON.stringify({ type: 'event', event: 'agent.explode', data: {} });
    expect(checkServerMessage(raw, warn)).toBeUndefined();
    expect(warn.mock.calls[0]?.[0]).toContain('"agent.explode"');
  });

  it('drops text that is not JSON', () => {
    const warn = vi.fn();
    expect(checkServerMessage('{"type":"event",', warn)).toBeUndefined();
    expect(warn.mock.calls[0]?.[0]).toContain('not JSON');
  });

  it('drops a response with an error code the protocol does not have', () => {
    const warn = vi.fn();
    const raw = JSON.stringify({
      type: 'response',
      id: 7,
      ok: false,
      error: { code: 'oops', message: 'no' },
    });
    expect(checkServerMessage(raw, warn)).toBeUndefined();
    expect(warn.mock.calls[0]?.[0]).toMatch(/response #7.*error\.code/);
  });

  it('passes a well-formed error response', () => {
    const raw = {
      type: 'response',
      id: null,
      ok: false,
      error: { code: 'bad_json', message: 'Message is not valid JSON' },
    };
    expect(checkServerMessage(JSON.stringify(raw), vi.fn())).toEqual(raw);
  });
});

describe('ProtocolClient at the border', () => {
  let transport: FakeTransport;
  let client: ProtocolClient;
  let warn: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    transport = new FakeTransport();
    TestBed.configureTestingModule({
      providers: [{ provide: PROTOCOL_TRANSPORT, useValue: transport }],
    });
    client = TestBed.inject(ProtocolClient);
  });

  afterEach(() => warn.mockRestore());

  it('hands a good event to its handlers and drops a malformed one with a warning', () => {
    const exits: unknown[] = [];
    client.on('pty.exit', (data) => exits.push(data));
    transport.raw({ type: 'event', event: 'pty.exit', data: { id: 'p1', exitCode: '0' } });
    expect(exits).toEqual([]);
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/"pty\.exit".*exitCode/);

    transport.emit('pty.exit', { id: 'p1', exitCode: 0, signal: null });
    expect(exits).toEqual([{ id: 'p1', exitCode: 0, signal: null }]);
  });

  it('ignores a malformed response and settles the request on the good one', async () => {
    const answer = client.request('system.ping', {});
    const id = transport.sent[0]!.id;
    transport.raw({ type: 'response', id, ok: 'yes', result: { serverTime: 1 } });
    expect(warn).toHaveBeenCalledOnce();
    transport.respond(id, { serverTime: 2 });
    await expect(answer).resolves.toEqual({ serverTime: 2 });
  });

  it('rejects a request with the error the backend gave', async () => {
    const answer = client.request('agent.get', { id: 'nope' });
    transport.raw({
      type: 'response',
      id: transport.sent[0]!.id,
      ok: false,
      error: { code: 'not_found', message: 'No agent nope' },
    });
    await expect(answer).rejects.toEqual(new RequestError('not_found', 'No agent nope'));
  });
});

describe('checkResult', () => {
  const check = {
    valid: false,
    problems: [{ kind: 'cycle', taskIds: ['1', '2'], message: 'Dependency cycle: 1 → 2 → 1' }],
    tasks: [],
    dryRun: null,
    format: 'taskmaster',
  };

  it('passes a well-formed plan check', () => {
    expect(checkResult('plans.check', PlanCheckSchema, check)).toEqual(check);
  });

  it('throws naming the method and the field when an answer is malformed', () => {
    expect(() =>
      checkResult('plans.check', PlanCheckSchema, { ...check, problems: [{ kind: 'odd' }] }),
    ).toThrow(/"plans\.check" was malformed: problems\.0\.kind/);
  });
});
