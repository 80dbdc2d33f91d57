import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { defaultTools } from '../../agent/tools/registry.ts';
import type { ToolContext } from '../../agent/tools/tool.ts';
import { TokenCache } from '../../../cache/index.ts';
import { tempDir, writeTree } from '../../../cache/test-support/temp.ts';
import { HookPipeline } from '../pipeline.ts';
import type { HookFailure } from '../types.ts';
import {
  CacheLedger,
  cacheHook,
  estimateTokens,
  MIN_REFERENCE_TOKENS,
  type CacheStats,
} from './cache-hook.ts';

/** A source file big enough to be worth a reference. */
const BIG = Array.from(
  { length: 80 },
  (_, i) => `export const value${i} = ${i}; // a line of ordinary source code`,
).join('\n');

interface Setup {
  root: string;
  cache: TokenCache;
  /** Runs a call the way the runtime does: PreToolUse, the real tool unless a hook answered, PostToolUse. */
  call(
    toolName: string,
    input: unknown,
    ledger?: CacheLedger,
  ): Promise<{ content: string; answeredBy: string | undefined }>;
  ledger: CacheLedger;
  failures: HookFailure[];
}

async function setup(
  t: TestContext,
  files: Record<string, string>,
  options: { coldDbFile?: string; root?: string } = {},
): Promise<Setup> {
  const root = options.root ?? tempDir(t, 'troika-cache-hook-');
  writeTree(root, files);
  const cache = await TokenCache.open({
    root,
    watch: 'none',
    ...(options.coldDbFile !== undefined && { coldDbFile: options.coldDbFile }),
  });
  t.after(() => cache.dispose());
  const tools = defaultTools();
  const context: ToolContext = {
    workDir: root,
    signal: new AbortController().signal,
    limits: { commandTimeoutMs: 10_000, maxOutputChars: 100_000 },
    shell: () => Promise.reject(new Error('no shell in this test')),
    restartShell: () => Promise.reject(new Error('no shell in this test')),
    askUser: () => Promise.reject(new Error('no user in this test')),
  };
  const failures: HookFailure[] = [];
  const defaultLedger = new CacheLedger();
  const pipelines = new Map<CacheLedger, HookPipeline>();
  const pipelineFor = (ledger: CacheLedger) => {
    let pipeline = pipelines.get(ledger);
    if (pipeline === undefined) {
      pipeline = new HookPipeline({
        session: { agentId: 'a', cwd: root, transcriptPath: '' },
        hooks: [cacheHook({ cache, ledger })],
        onFailure: (f) => failures.push(f),
      });
      pipelines.set(ledger, pipeline);
    }
    return pipeline;
  };
  let id = 0;
  return {
    root,
    cache,
    ledger: defaultLedger,
    failures,
    async call(toolName, input, ledger = defaultLedger) {
      const pipeline = pipelineFor(ledger);
      const toolUseId = `toolu_${++id}`;
      const pre = await pipeline.preToolUse({ toolName, toolUseId, toolInput: input });
      const result = pre.response ?? (await tools.run(toolName, pre.input, context));
      const answeredBy = pre.response?.hook;
      const post = await pipeline.postToolUse({
        toolName,
        toolUseId,
        toolInput: pre.input,
        toolResponse: { content: result.content, isError: result.isError },
        ...(answeredBy !== undefined && { answeredBy }),
      });
      return { content: post.response.content, answeredBy };
    },
  };
}

const VIEW = { command: 'view', path: 'src/big.ts' };

describe('cache hook: the same conversation reading an unchanged file again', () => {
  test('gets a short reference instead of the content, and the saving is counted', async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    const first = await s.call('str_replace_based_edit_tool', VIEW);
    const second = await s.call('str_replace_based_edit_tool', VIEW);
    assert.match(first.content, /value79/);
    assert.equal(second.answeredBy, 'cache');
    assert.match(
      second.content,
      /^\[Unchanged: you already received this exact result in tool_use_id toolu_1 \(view src\/big\.ts\)/,
    );
    const stats = s.ledger.stats();
    assert.equal(stats.references, 1);
    assert.equal(stats.tokensSaved, estimateTokens(first.content) - estimateTokens(second.content));
    assert.ok(stats.tokensSaved > 0);
  });

  test('the same file named another way (./, absolute) is the same call', async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    await s.call('str_replace_based_edit_tool', VIEW);
    const again = await s.call('str_replace_based_edit_tool', {
      command: 'view',
      path: join(s.root, 'src', 'big.ts'),
    });
    assert.match(again.content, /^\[Unchanged/);
  });

  test('asking again right after a reference sends the full content', async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    await s.call('str_replace_based_edit_tool', VIEW);
    await s.call('str_replace_based_edit_tool', VIEW);
    const third = await s.call('str_replace_based_edit_tool', VIEW);
    assert.match(third.content, /value79/);
  });

  test('in the turn right after a reference, asking again sends the full content', async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    await s.call('str_replace_based_edit_tool', VIEW);
    await s.call('str_replace_based_edit_tool', VIEW);
    s.ledger.nextTurn();
    const again = await s.call('str_replace_based_edit_tool', VIEW);
    assert.match(again.content, /value79/);
  });

  test('after the model has moved on, an unchanged file still in view is referenced again', async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    await s.call('str_replace_based_edit_tool', VIEW);
    await s.call('str_replace_based_edit_tool', VIEW);
    s.ledger.nextTurn();
    s.ledger.nextTurn();
    const later = await s.call('str_replace_based_edit_tool', VIEW);
    assert.match(
      later.content,
      /^\[Unchanged: you already received this exact result in tool_use_id toolu_1 /,
    );
    assert.equal(s.ledger.stats().references, 2);
  });

  test("a result cleared from the model's view is sent in full when asked again, never referenced", async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    await s.call('str_replace_based_edit_tool', VIEW);
    s.ledger.forgetResults(['toolu_1']);
    const again = await s.call('str_replace_based_edit_tool', VIEW);
    assert.match(again.content, /value79/);
    assert.equal(s.ledger.stats().references, 0);
  });

  test('a file viewed again after an edit gets what changed; its first view, the base, stays needed', async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    await s.call('str_replace_based_edit_tool', VIEW);
    await s.call('str_replace_based_edit_tool', {
      command: 'str_replace',
      path: 'src/big.ts',
      old_str: 'value0 = 0',
      new_str: 'value0 = 100',
    });
    const again = await s.call('str_replace_based_edit_tool', VIEW);
    assert.match(
      again.content,
      /^\[Changed since tool_use_id toolu_1 \(view src\/big\.ts\): lines 1-1 /,
    );
    assert.match(again.content, /value0 = 100/);
    assert.deepEqual([...s.ledger.superseded()], []);
    assert.equal(s.ledger.stats().changeAnswers, 1);
    // Once the base is cleared, the model gets the full file again.
    s.ledger.forgetResults(['toolu_1']);
    await s.call('str_replace_based_edit_tool', {
      command: 'str_replace',
      path: 'src/big.ts',
      old_str: 'value0 = 100',
      new_str: 'value0 = 7',
    });
    assert.match((await s.call('str_replace_based_edit_tool', VIEW)).content, /^ +1\t/);
  });

  test('a changed file is sent in full, with its new content', async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    await s.call('str_replace_based_edit_tool', VIEW);
    writeFileSync(join(s.root, 'src/big.ts'), `${BIG}\nexport const added = true;`);
    await s.cache.touched(['src/big.ts']);
    const again = await s.call('str_replace_based_edit_tool', VIEW);
    assert.match(again.content, /added = true/);
    assert.equal(again.answeredBy, undefined);
  });

  test('an edit made through the editor tool invalidates at once, without a watcher', async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    await s.call('str_replace_based_edit_tool', VIEW);
    await s.call('str_replace_based_edit_tool', {
      command: 'str_replace',
      path: 'src/big.ts',
      old_str: 'value0 = 0',
      new_str: 'value0 = 100',
    });
    const again = await s.call('str_replace_based_edit_tool', VIEW);
    assert.match(again.content, /value0 = 100/);
  });

  test('a small result is sent again rather than referenced', async (t) => {
    const s = await setup(t, { 'small.ts': 'export const x = 1;\n' });
    await s.call('str_replace_based_edit_tool', { command: 'view', path: 'small.ts' });
    const again = await s.call('str_replace_based_edit_tool', {
      command: 'view',
      path: 'small.ts',
    });
    assert.ok(estimateTokens(again.content) < MIN_REFERENCE_TOKENS);
    assert.match(again.content, /export const x = 1/);
    assert.equal(s.ledger.stats().references, 0);
  });

  test('after the runtime forgets earlier turns, no reference points at them', async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    await s.call('str_replace_based_edit_tool', VIEW);
    s.ledger.forgetReceived();
    const again = await s.call('str_replace_based_edit_tool', VIEW);
    assert.match(again.content, /value79/);
  });
});

describe('cache hook: read-only results from the token cache', () => {
  test('another conversation gets the stored result without the tool running', async (t) => {
    const s = await setup(t, { 'src/big.ts': BIG });
    const first = await s.call('str_replace_based_edit_tool', VIEW);
    const other = new CacheLedger();
    const served = await s.call('str_replace_based_edit_tool', VIEW, other);
    assert.equal(served.answeredBy, 'cache');
    assert.equal(served.content, first.content);
    const stats: CacheStats = other.stats();
    assert.deepEqual([stats.hits, stats.tokensServedFromCache], [1, estimateTokens(first.content)]);
  });

  test('a miss stores the result with its dependency, a change makes it a miss again', async (t) => {
    const s = await setup(t, { 'src/a.ts': 'const a = 1;\n', 'src/b.ts': 'const b = 2;\n' });
    const search = { pattern: 'const' };
    await s.call('search_files', search);
    assert.equal(s.ledger.stats().stored, 1);
    assert.equal((await s.call('search_files', search, new CacheLedger())).answeredBy, 'cache');
    writeFileSync(join(s.root, 'src/c.ts'), 'const c = 3;\n');
    await s.cache.touched(['src/c.ts']);
    const after = await s.call('search_files', search, new CacheLedger());
    assert.equal(after.answeredBy, undefined);
    assert.match(after.content, /src\/c\.ts:1: const c = 3;/);
  });

  test('results survive in the cold tier for the next session', async (t) => {
    const root = tempDir(t, 'troika-cache-hook-');
    const coldDbFile = join(tempDir(t, 'troika-cold-'), 'cold.db');
    const first = await setup(t, { 'src/big.ts': BIG }, { root, coldDbFile });
    await first.call('str_replace_based_edit_tool', VIEW);
    await first.cache.dispose();
    const second = await setup(t, {}, { root, coldDbFile });
    assert.equal((await second.call('str_replace_based_edit_tool', VIEW)).answeredBy, 'cache');
  });

  test('a git-ignored file is never cached', async (t) => {
    const s = await setup(t, { '.gitignore': '.env\n', '.env': 'A=1\n' });
    await s.call('str_replace_based_edit_tool', { command: 'view', path: '.env' });
    await s.call(
      'str_replace_based_edit_tool',
      { command: 'view', path: '.env' },
      new CacheLedger(),
    );
    assert.deepEqual([s.ledger.stats().lookups, s.ledger.stats().stored], [0, 0]);
  });

  test('a listing showing a path the tree does not track (node_modules) is not stored', async (t) => {
    const s = await setup(t, { 'node_modules/x/index.js': '', 'src/a.ts': '' });
    const listing = await s.call('list_files', {});
    assert.match(listing.content, /node_modules\//);
    assert.equal(s.ledger.stats().stored, 0);
  });

  test('an error result is not stored', async (t) => {
    const s = await setup(t, { 'src/a.ts': '' });
    await s.call('search_files', { pattern: '(' });
    assert.equal(s.ledger.stats().stored, 0);
  });

  test('writing and running calls are not looked up', async (t) => {
    const s = await setup(t, { 'a.txt': 'x' });
    await s.call('str_replace_based_edit_tool', {
      command: 'create',
      path: 'b.txt',
      file_text: 'y',
    });
    assert.equal(s.ledger.stats().lookups, 0);
    assert.deepEqual(s.failures, []);
  });

  test("an editor write does not wait for the last write's rehash; a read does", async (t) => {
    const s = await setup(t, { 'a.txt': 'x' });
    // The tree still rehashing what was written: settled() holds until released.
    let release!: () => void;
    const pending = new Promise<void>((resolve) => (release = resolve));
    s.cache.settled = () => pending;
    const hook = cacheHook({ cache: s.cache, ledger: new CacheLedger() });
    const context = { session: { agentId: 'a', cwd: s.root, transcriptPath: '' } } as never;
    const pre = (input: unknown) =>
      hook.preToolUse?.(
        { toolName: 'str_replace_based_edit_tool', toolUseId: 't', toolInput: input },
        context,
      );
    const write = { command: 'str_replace', path: 'a.txt', old_str: 'x', new_str: 'y' };
    assert.equal(await pre(write), undefined, 'the write goes on at once');
    let read = false;
    const viewing = Promise.resolve(pre({ command: 'view', path: 'a.txt' })).then(() => {
      read = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(read, false, 'the read waits for the rehash');
    release();
    await viewing;
    assert.equal(read, true);
  });
});
