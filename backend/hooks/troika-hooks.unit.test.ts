import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { ModelRequestSpec } from '../provider/request-builder.ts';
import type { Persona } from '../personas/persona.ts';
import { renderPersonaBlock } from '../personas/prompt-block.ts';
import { parseHookSettings } from './command/settings.ts';
import { PromptRefusedError, type HookAgent } from './runner.ts';
import { TroikaHooks, type AgentHookEvent, type TroikaHooksOptions } from './troika-hooks.ts';

const QA: Persona = {
  name: 'qa',
  description: 'qa',
  triggers: { keywords: ['test'], globs: [], tools: [] },
  priority: 0,
  prompt: 'Test well.',
  source: '',
  origin: 'builtin',
};
const REQUEST: ModelRequestSpec = {
  model: 'm',
  maxTokens: 10,
  tools: [],
  system: 'base',
  messages: [],
};

function context(persona: string | null = null): HookAgent {
  return { agentId: 'a1', workDir: process.cwd(), model: 'm', persona };
}

function setup(t: TestContext, options: Partial<TroikaHooksOptions> = {}) {
  const events: AgentHookEvent[] = [];
  const hooks = new TroikaHooks({
    personas: [QA],
    onEvent: (_id, event) => events.push(event),
    ...options,
  });
  t.after(() => hooks.dispose());
  return { hooks, events };
}

describe("TroikaHooks at the runtime's seam", () => {
  test('a persona name from the runtime pins that persona', async (t) => {
    const { hooks } = setup(t);
    const request = await hooks.modelRequest(context('qa'), { ...REQUEST, persona: 'qa' });
    assert.equal(request.persona, renderPersonaBlock(QA));
  });

  test("the user's own persona text from the runtime is left as it is, and triggers do not override it", async (t) => {
    const { hooks } = setup(t);
    await hooks.userPrompt(context('You are careful.'), 'write a test');
    const request = { ...REQUEST, persona: 'You are careful.' };
    assert.equal(await hooks.modelRequest(context('You are careful.'), request), request);
  });

  test("a refused prompt throws PromptRefusedError with the hook's reason", async (t) => {
    const settings = parseHookSettings(
      {
        hooks: {
          UserPromptSubmit: [
            {
              hooks: [
                {
                  type: 'command',
                  command: `${JSON.stringify(process.execPath)} -e "process.stderr.write('no tickets'); process.exit(2)"`,
                },
              ],
            },
          ],
        },
      },
      '/s.json',
    );
    const { hooks } = setup(t, { settings });
    await assert.rejects(
      hooks.userPrompt(context(), 'fix JIRA-1'),
      (error: unknown) => error instanceof PromptRefusedError && /no tickets/.test(error.message),
    );
  });

  test('additional context from a prompt hook is appended to the message', async (t) => {
    const settings = parseHookSettings(
      {
        hooks: {
          UserPromptSubmit: [
            {
              hooks: [
                {
                  type: 'command',
                  command: `${JSON.stringify(process.execPath)} -e "console.log('Current branch: main')"`,
                },
              ],
            },
          ],
        },
      },
      '/s.json',
    );
    const { hooks } = setup(t, { settings });
    assert.equal(
      await hooks.userPrompt(context(), 'go'),
      'go\n\n[Context from hooks]\nCurrent branch: main',
    );
  });

  test('a Stop hook asking to continue answers the reason; a stopped run does not run it', async (t) => {
    const settings = parseHookSettings(
      {
        hooks: {
          Stop: [
            {
              hooks: [
                {
                  type: 'command',
                  command: `${JSON.stringify(process.execPath)} -e "process.stderr.write('run tests'); process.exit(2)"`,
                },
              ],
            },
          ],
        },
      },
      '/s.json',
    );
    const { hooks, events } = setup(t, { settings });
    await hooks.userPrompt(context(), 'go');
    const decision = await hooks.stop(context(), { state: 'done', reason: null });
    assert.equal(decision?.continueWith, 'run tests');
    assert.match(decision?.hooks[0] ?? '', /^command /);
    await hooks.userPrompt(context(), 'go on');
    assert.equal(await hooks.stop(context(), { state: 'stopped', reason: 'by you' }), undefined);
    assert.ok(!events.some((e) => e.type === 'hook.unsupported'));
  });

  test('a call denied at PreToolUse gets no PostToolUse and its result is left alone', async (t) => {
    const settings = parseHookSettings(
      {
        hooks: {
          PreToolUse: [
            {
              hooks: [
                {
                  type: 'command',
                  command: `${JSON.stringify(process.execPath)} -e "process.exit(2)"`,
                },
              ],
            },
          ],
        },
      },
      '/s.json',
    );
    const { hooks, events } = setup(t, { settings });
    const call = { toolUseId: 't', name: 'bash', input: { command: 'ls' } };
    assert.equal((await hooks.toolDecision(context(), call)).action, 'deny');
    const blocked = { content: 'blocked', isError: true };
    assert.equal(await hooks.toolResult(context(), call, blocked), blocked);
    assert.ok(!events.some((e) => e.type === 'audit' && e.record.type === 'tool.result'));
  });

  test('pinning a persona later is announced', async (t) => {
    const { hooks, events } = setup(t);
    await hooks.userPrompt(context(), 'hello');
    hooks.pinPersona('a1', 'qa');
    assert.ok(
      events.some((e) => e.type === 'persona.change' && e.change.name === 'qa' && e.change.pinned),
    );
  });
});
