/**
 * The provider conformance suite: every adapter behind `ModelProvider`, with
 * its real SDK against its local wire-format server, must stream text, make
 * one and several tool calls, report malformed tool arguments, report usage,
 * take its own tool calls back as a conversation, classify each error class,
 * see a dropped stream as retryable, and stop when cancelled. Adding a
 * provider means adding a fixture here and passing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { createAnthropicClient } from './client.ts';
import { anthropicProvider } from './anthropic-provider.ts';
import type { UsageCounts } from './models.ts';
import { createOpenAIClient } from './openai-client.ts';
import { openAIProvider } from './openai-provider.ts';
import type { ModelProvider } from './provider.ts';
import type { ModelRequestSpec } from './request-builder.ts';
import { TurnFailure, type AssistantToolUse, type TurnResult } from './stream-turn.ts';
import { faults, startMessagesServer } from '../testing/messages-server/index.ts';
import type { Turn as MessagesTurn } from '../testing/messages-server/index.ts';
import { openaiFaults, startOpenAIServer } from '../testing/openai-server/index.ts';
import type { Turn as OpenAITurn } from '../testing/openai-server/index.ts';

type ErrorClass = 'auth' | 'rate_limited' | 'overloaded' | 'server' | 'invalid_request';

/** A provider-neutral script line; each fixture turns it into its server's turn. */
type Scripted =
  | {
      kind: 'reply';
      text?: string;
      calls?: { name: string; input: Record<string, unknown>; raw?: string }[];
    }
  | { kind: 'error'; error: ErrorClass }
  | { kind: 'cut'; afterChunks: number }
  | { kind: 'stall'; afterChunks: number };

interface Fixture {
  provider: ModelProvider;
  model: string;
  key: string;
  script(...turns: Scripted[]): void;
  /** Requests the server received for model turns. */
  requests(): number;
  /** The usage the server reported for its last completed request, in Messages terms. */
  lastUsage(): UsageCounts | undefined;
  close(): Promise<void>;
}

/** The SDKs retry 429/5xx once here: "repeated" is two answers, quickly. */
const CLIENT = { maxRetries: 1, requestTimeoutMs: 5_000, streamIdleMs: 5_000 };

async function anthropicFixture(): Promise<Fixture> {
  const server = await startMessagesServer();
  const provider = anthropicProvider(
    createAnthropicClient({ apiKey: server.apiKey, baseURL: server.url, ...CLIENT }),
  );
  const toTurn = (s: Scripted): MessagesTurn => {
    const reply = (r: Extract<Scripted, { kind: 'reply' }>) => ({
      ...(r.text !== undefined && { text: r.text }),
      ...(r.calls && {
        toolUses: r.calls.map((c) => ({
          name: c.name,
          input: c.input,
          ...(c.raw !== undefined && { rawInputJson: c.raw }),
        })),
      }),
    });
    switch (s.kind) {
      case 'reply':
        return reply(s);
      case 'cut':
        return faults.connectionCut({
          afterEvents: s.afterChunks,
          reply: { text: 'A reply that is cut off midway through.' },
        });
      case 'stall':
        return faults.stall({
          afterEvents: s.afterChunks,
          reply: { text: 'A reply that stalls after a while, long enough to arrive in pieces.' },
        });
      case 'error': {
        const repeat = { repeat: 2, headers: { 'retry-after-ms': '10' } };
        if (s.error === 'auth') return faults.authenticationError();
        if (s.error === 'rate_limited')
          return faults.rateLimited({ ...repeat, retryAfterSeconds: 0 });
        if (s.error === 'overloaded') return faults.overloaded(repeat);
        if (s.error === 'server') return faults.apiError(repeat);
        return faults.invalidRequest('messages.0.content: Field required');
      }
    }
  };
  const calls = () => server.messageRequests;
  return {
    provider,
    model: 'claude-sonnet-4-6',
    key: server.apiKey,
    script: (...turns) => server.enqueue(...turns.map(toTurn)),
    requests: () => calls().length,
    lastUsage: () => {
      const usage = calls().at(-1)?.usage;
      return (
        usage && {
          inputTokens: usage.input_tokens,
          outputTokens: usage.output_tokens,
          cacheCreationInputTokens: usage.cache_creation_input_tokens,
          cacheReadInputTokens: usage.cache_read_input_tokens,
        }
      );
    },
    close: () => server.close(),
  };
}

async function openAIFixture(): Promise<Fixture> {
  const server = await startOpenAIServer();
  const provider = openAIProvider(
    createOpenAIClient({ apiKey: server.apiKey, baseURL: server.url, ...CLIENT }),
  );
  const quick = { repeat: 2, headers: { 'retry-after-ms': '10' } };
  const toTurn = (s: Scripted): OpenAITurn => {
    switch (s.kind) {
      case 'reply':
        return {
          ...(s.text !== undefined && { text: s.text }),
          ...(s.calls && {
            toolCalls: s.calls.map((c) => ({ name: c.name, arguments: c.raw ?? c.input })),
          }),
          cachedTokens: 3,
        };
      case 'cut':
        return openaiFaults.cut(s.afterChunks, { text: 'A reply that is cut off midway through.' });
      case 'stall':
        return openaiFaults.stall(s.afterChunks, {
          text: 'A reply that stalls after a while, long enough to arrive in pieces.',
        });
      case 'error':
        if (s.error === 'auth') return openaiFaults.invalidApiKey();
        if (s.error === 'rate_limited') return openaiFaults.rateLimited(quick);
        if (s.error === 'overloaded') return openaiFaults.overloaded(quick);
        if (s.error === 'server') return openaiFaults.serverError(quick);
        return openaiFaults.badRequest("Invalid value for 'messages[0].role'.");
    }
  };
  const calls = () => server.chatRequests;
  return {
    provider,
    model: 'gpt-4.1',
    key: server.apiKey,
    script: (...turns) => server.enqueue(...turns.map(toTurn)),
    requests: () => calls().length,
    lastUsage: () => {
      const usage = calls().at(-1)?.usage;
      return (
        usage && {
          inputTokens: usage.prompt_tokens - usage.prompt_tokens_details.cached_tokens,
          outputTokens: usage.completion_tokens,
          cacheCreationInputTokens: 0,
          cacheReadInputTokens: usage.prompt_tokens_details.cached_tokens,
        }
      );
    },
    close: () => server.close(),
  };
}

const TOOLS: ModelRequestSpec['tools'] = [
  {
    name: 'bash',
    description: 'Run a command',
    input_schema: {
      type: 'object',
      properties: { command: { type: 'string' } },
      required: ['command'],
    },
  },
  {
    name: 'read_file',
    description: 'Read a file',
    input_schema: { type: 'object', properties: { path: { type: 'string' } } },
  },
];

function spec(
  model: string,
  messages: MessageParam[] = [{ role: 'user', content: 'List the files.' }],
): ModelRequestSpec {
  return {
    model,
    maxTokens: 1024,
    tools: TOOLS,
    system: 'You are a coding agent.',
    persona: 'Be brief.',
    messages,
  };
}

interface Observed {
  deltas: string[];
  /** What `onToolUse` heard. */
  reported: AssistantToolUse[];
}

async function turn(
  f: Fixture,
  messages?: MessageParam[],
  signal = new AbortController().signal,
): Promise<TurnResult & Observed> {
  const observed: Observed = { deltas: [], reported: [] };
  const result = await f.provider.streamTurn(spec(f.model, messages), signal, {
    onTextDelta: (d) => observed.deltas.push(d),
    onToolUse: (t) => observed.reported.push(t),
  });
  return { ...result, ...observed };
}

async function failure(promise: Promise<unknown>): Promise<TurnFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TurnFailure, `expected a TurnFailure, got ${String(error)}`);
    return error;
  }
  assert.fail('the turn should have failed');
}

for (const [name, start] of [
  ['anthropic', anthropicFixture],
  ['openai', openAIFixture],
] as const) {
  describe(`provider conformance: ${name}`, () => {
    let f: Fixture;
    before(async () => (f = await start()));
    after(async () => f.close());

    test('streams text in pieces and ends the turn', async () => {
      const text = 'Here is a reply long enough to arrive in several pieces of the stream.';
      f.script({ kind: 'reply', text });
      const result = await turn(f);
      assert.ok(result.deltas.length > 1, 'several deltas');
      assert.equal(result.deltas.join(''), text);
      assert.deepEqual(result.content, [{ type: 'text', text }]);
      assert.equal(result.stopReason, 'end_turn');
      assert.deepEqual(result.toolUses, []);
    });

    test('one tool call, with its input parsed', async () => {
      f.script({
        kind: 'reply',
        text: 'Listing.',
        calls: [{ name: 'bash', input: { command: 'ls -la' } }],
      });
      const result = await turn(f);
      assert.equal(result.stopReason, 'tool_use');
      assert.equal(result.toolUses.length, 1);
      assert.equal(result.toolUses[0]?.name, 'bash');
      assert.deepEqual(result.toolUses[0]?.input, { command: 'ls -la' });
      assert.deepEqual(result.reported, result.toolUses);
      assert.equal(result.content[0]?.type, 'text');
      assert.deepEqual(result.content[1], {
        type: 'tool_use',
        id: result.toolUses[0]?.id,
        name: 'bash',
        input: { command: 'ls -la' },
      });
    });

    test('several tool calls, in order, each reported once complete', async () => {
      const calls = [
        { name: 'bash', input: { command: 'git status' } },
        { name: 'read_file', input: { path: 'README.md' } },
        { name: 'bash', input: { command: 'npm test -- --grep "a long pattern"' } },
      ];
      f.script({ kind: 'reply', calls });
      const result = await turn(f);
      assert.deepEqual(
        result.toolUses.map((t) => [t.name, t.input]),
        calls.map((c) => [c.name, c.input]),
      );
      assert.deepEqual(result.reported, result.toolUses);
      assert.equal(new Set(result.toolUses.map((t) => t.id)).size, 3);
      assert.ok(result.toolUses.every((t) => t.inputError === undefined));
    });

    test('malformed tool arguments: the call is kept with {} and the reason', async () => {
      f.script({ kind: 'reply', calls: [{ name: 'bash', input: {}, raw: '{"command": "ls' }] });
      const result = await turn(f);
      assert.equal(result.toolUses.length, 1);
      assert.deepEqual(result.toolUses[0]?.input, {});
      assert.match(result.toolUses[0]?.inputError ?? '', /not valid JSON/);
    });

    test('usage is what the server reported', async () => {
      f.script({ kind: 'reply', text: 'Counting tokens.' });
      const result = await turn(f);
      const reported = f.lastUsage();
      assert.ok(reported, 'the server reported usage');
      assert.ok(result.usage.inputTokens + result.usage.cacheReadInputTokens > 0);
      assert.ok(result.usage.outputTokens > 0);
      assert.equal(result.usage.inputTokens, reported.inputTokens);
      assert.equal(result.usage.outputTokens, reported.outputTokens);
      assert.equal(result.usage.cacheReadInputTokens, reported.cacheReadInputTokens);
    });

    test('its own tool calls and their results go back as the next turn', async () => {
      f.script({
        kind: 'reply',
        calls: [
          { name: 'bash', input: { command: 'ls' } },
          { name: 'read_file', input: { path: 'a' } },
        ],
      });
      const first = await turn(f);
      f.script({ kind: 'reply', text: 'Two files.' });
      const before = f.requests();
      const second = await turn(f, [
        { role: 'user', content: 'List the files.' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: first.toolUses[0]?.id ?? '', content: 'a\nb' },
            {
              type: 'tool_result',
              tool_use_id: first.toolUses[1]?.id ?? '',
              content: 'no such file',
              is_error: true,
            },
            { type: 'text', text: 'Go on.' },
          ],
        },
      ]);
      assert.equal(f.requests(), before + 1);
      assert.equal(second.deltas.join(''), 'Two files.');
    });

    for (const [error, status] of [
      ['auth', 401],
      ['rate_limited', 429],
      ['overloaded', undefined],
      ['server', 500],
      ['invalid_request', 400],
    ] as const) {
      test(`error class ${error} is classified, not retried by the runtime, and never shows the key`, async () => {
        f.script({ kind: 'error', error });
        const before = f.requests();
        const failed = await failure(turn(f));
        const fault = f.provider.classifyFault(failed.cause, failed.streamStarted);
        assert.equal(fault.kind, error);
        if (status !== undefined) assert.equal(fault.status, status);
        assert.equal(fault.retryable, false);
        assert.equal(failed.streamStarted, false);
        assert.ok(!fault.message.includes(f.key));
        // The SDK retries what is transient (twice in all here), never a permanent error.
        const transient = error === 'rate_limited' || error === 'overloaded' || error === 'server';
        assert.equal(f.requests() - before, transient ? 2 : 1);
      });
    }

    test('a dropped stream is a retryable stream interruption, with the partial reply void', async () => {
      f.script({ kind: 'cut', afterChunks: 3 });
      const failed = await failure(turn(f));
      assert.equal(failed.streamStarted, true);
      const fault = f.provider.classifyFault(failed.cause, failed.streamStarted);
      assert.equal(fault.kind, 'stream_interrupted');
      assert.equal(fault.retryable, true);
    });

    test('cancellation stops the stream and is classified as aborted', async () => {
      f.script({ kind: 'stall', afterChunks: 4 });
      const controller = new AbortController();
      const observed: string[] = [];
      const running = f.provider.streamTurn(spec(f.model), controller.signal, {
        onTextDelta: (d) => {
          observed.push(d);
          controller.abort();
        },
      });
      const failed = await failure(running);
      assert.ok(observed.length > 0, 'text arrived before the cancel');
      assert.equal(f.provider.classifyFault(failed.cause, failed.streamStarted).kind, 'aborted');
      // The provider is usable again at once: the next turn runs.
      f.script({ kind: 'reply', text: 'After the cancel.' });
      assert.equal((await turn(f)).deltas.join(''), 'After the cancel.');
    });
  });
}
