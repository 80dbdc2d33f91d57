/**
 * Model routing in a real run: an agent on the `coder` alias, whose chain is
 * Anthropic then the OpenAI-compatible provider, meets a 529 storm on the
 * Messages server mid-task, moves to the OpenAI server (one event saying
 * why), carries on there with the same conversation (tool calls and results
 * translated), finishes, and has its usage and cost recorded per actual model.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { costUsd } from '../provider/models.ts';
import { faults } from '../testing/messages-server/index.ts';
import { startOpenAIServer, type OpenAIServer } from '../testing/openai-server/index.ts';
import { Harness } from './testing/harness.ts';

let h: Harness;
let openai: OpenAIServer;
afterEach(async () => {
  await h.dispose();
  await openai.close();
});

/** Answers at once (the SDK honours `retry-after-ms`), so the storm costs no real waiting. */
const storm = faults.overloaded({ repeat: 3, headers: { 'retry-after-ms': '5' } });

interface UsageRow {
  model: string;
  requests: number;
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  cost: number;
}

function usageByModel(agentId: string): UsageRow[] {
  return h.db
    .prepare(
      `SELECT model, COUNT(*) AS requests, SUM(input_tokens) AS input, SUM(output_tokens) AS output,
         SUM(cache_creation_input_tokens) AS cacheWrite, SUM(cache_read_input_tokens) AS cacheRead, SUM(cost_usd) AS cost
       FROM usage_records WHERE agent_id = ? GROUP BY model ORDER BY MIN(id)`,
    )
    .all(agentId) as unknown as UsageRow[];
}

describe('model fallback (Messages server and OpenAI server, real SDKs, real PTY)', () => {
  test('a 529 storm moves a coder agent to the OpenAI-compatible provider and the run finishes', async () => {
    openai = await startOpenAIServer({
      script: [
        { toolCalls: [{ name: 'bash', arguments: { command: 'echo second-$((1+1))' } }] },
        { text: 'Both commands ran.' },
      ],
    });
    h = await Harness.start({
      server: {
        script: [{ toolUses: [{ name: 'bash', input: { command: 'echo first' } }] }, storm],
      },
      routing: {
        openai,
        aliases: {
          coder: [
            { provider: 'anthropic', model: 'claude-sonnet-5-5' },
            { provider: 'openai', model: 'gpt-4.1' },
          ],
        },
      },
    });
    const { id, model } = await h.manager.start({
      task: 'Run two commands',
      workspace: h.folder('ws'),
      model: 'coder',
    });
    assert.equal(model, 'coder');
    await h.waitForState(id, 'done');

    // One Anthropic turn, then three 529s (the SDK's two retries included), then OpenAI for the rest: the switch sticks.
    assert.equal(h.server.messageRequests.length, 4);
    assert.equal(openai.chatRequests.length, 2);

    const switches = h.events.flatMap((e) => (e.event === 'agent.model' ? [e.data] : []));
    assert.equal(switches.length, 1);
    assert.deepEqual(
      { ...switches[0], reason: undefined },
      {
        agentId: id,
        alias: 'coder',
        from: { provider: 'anthropic', model: 'claude-sonnet-5-5' },
        to: { provider: 'openai', model: 'gpt-4.1' },
        faultKind: 'overloaded',
        reason: undefined,
      },
    );
    assert.match(switches[0]?.reason ?? '', /overloaded \(529\) after 3 attempts/);
    // Kept with the agent's history, as every agent event is.
    h.store.events.flush();
    assert.deepEqual(h.store.events.latest(id, 'agent.model')?.data, switches[0]);

    // The OpenAI server got the whole conversation: Anthropic's tool call and its result, translated.
    const first = openai.chatRequests[0]?.body as {
      model: string;
      messages: {
        role: string;
        content?: unknown;
        tool_calls?: { id: string; function: { name: string; arguments: string } }[];
        tool_call_id?: string;
      }[];
      tools: { function: { name: string } }[];
    };
    assert.equal(first.model, 'gpt-4.1');
    assert.deepEqual(
      first.messages.map((m) => m.role),
      ['system', 'user', 'assistant', 'tool'],
    );
    const call = first.messages[2]?.tool_calls?.[0];
    assert.equal(call?.function.name, 'bash');
    assert.deepEqual(JSON.parse(call?.function.arguments ?? ''), { command: 'echo first' });
    assert.equal(first.messages[3]?.tool_call_id, call?.id);
    assert.match(String(first.messages[3]?.content), /^first/);
    assert.ok(first.tools.some((t) => t.function.name === 'bash'));
    // And its own tool call ran in the terminal and went back as a tool message.
    const second = openai.chatRequests[1]?.body as typeof first;
    assert.match(String(second.messages.at(-1)?.content), /second-2/);

    // Usage and cost per actual model: the 529s cost nothing.
    const rows = usageByModel(id);
    assert.deepEqual(
      rows.map((r) => [r.model, r.requests]),
      [
        ['claude-sonnet-5-5', 1],
        ['openai:gpt-4.1', 2],
      ],
    );
    // The last usage event tells the UI the same split.
    const lastUsage = h.events.filter((e) => e.event === 'agent.usage').at(-1);
    assert.deepEqual(
      lastUsage?.event === 'agent.usage' &&
        lastUsage.data.byModel.map((m) => [m.model, m.requests]),
      [
        ['claude-sonnet-5-5', 1],
        ['openai:gpt-4.1', 2],
      ],
    );
    assert.equal(lastUsage?.event === 'agent.usage' && lastUsage.data.model, 'openai:gpt-4.1');
    for (const row of rows) {
      assert.ok(row.input + row.cacheWrite + row.cacheRead > 0 && row.output > 0);
      const expected = costUsd(row.model, {
        inputTokens: row.input,
        outputTokens: row.output,
        cacheCreationInputTokens: row.cacheWrite,
        cacheReadInputTokens: row.cacheRead,
      });
      assert.ok(Math.abs(row.cost - expected) < 1e-9, `${row.model}: ${row.cost} vs ${expected}`);
    }
  });

  test("a stream that keeps dropping moves on only after the runtime's own retries", async () => {
    openai = await startOpenAIServer({ script: [{ text: 'Finished on the fallback.' }] });
    h = await Harness.start({
      server: { script: [faults.connectionCut({ afterEvents: 3, repeat: 3 })] },
      routing: {
        openai,
        aliases: {
          fast: [
            { provider: 'anthropic', model: 'claude-haiku-5-5' },
            { provider: 'openai', model: 'gpt-4.1-mini' },
          ],
        },
      },
    });
    const { id } = await h.manager.start({
      task: 'Say done',
      workspace: h.folder('ws'),
      model: 'fast',
    });
    await h.waitForState(id, 'done');
    // Three attempts at the dropped stream (DEFAULT_STREAM_ATTEMPTS), each announced, then the switch.
    assert.equal(h.server.messageRequests.length, 3);
    const retries = h.events.filter(
      (e) => e.event === 'agent.error' && e.data.kind === 'stream_interrupted',
    );
    assert.equal(retries.length, 2);
    const switches = h.events.flatMap((e) => (e.event === 'agent.model' ? [e.data] : []));
    assert.deepEqual(
      switches.map((c) => [c.alias, c.faultKind, c.to.model]),
      [['fast', 'stream_interrupted', 'gpt-4.1-mini']],
    );
    assert.equal(openai.chatRequests.length, 1);
  });
});
