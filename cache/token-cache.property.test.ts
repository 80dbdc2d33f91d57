/**
 * Property tests: random sequences of file edits, creates, deletes, renames,
 * restarts and cache reads over a real temporary folder, checked against a
 * model that reads the disk itself.
 *
 * The model keeps, per key, the dependencies and a snapshot of their state
 * (file contents, folder listings with contents) taken when the entry was
 * stored; the stored value *is* that snapshot. Then:
 * - no stale hit: a served value equals the dependencies' state right now;
 * - no needless miss: a read misses only if some dependency's state differed
 *   from the snapshot at a moment the cache could observe (after any step).
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import fc from 'fast-check';
import { hashBytes } from './merkle/hash.ts';
import { tempDir, waitFor } from './test-support/temp.ts';
import { TokenCache } from './token-cache.ts';
import type { WatchBackend } from './merkle/watch/watcher.ts';

const FOLDERS = ['a', 'a/b', 'c'] as const;
const FILES = ['x.txt', 'a/x.txt', 'a/y.txt', 'a/b/x.txt', 'c/x.txt', 'c/y.txt'] as const;
const DEP_PATHS = ['', ...FOLDERS, ...FILES] as const;
const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4'] as const;
const CONTENTS = ['1', '2', '22'] as const;

type Op =
  | { readonly op: 'write'; readonly file: string; readonly content: string }
  | { readonly op: 'delete'; readonly file: string }
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'removeFolder'; readonly folder: string }
  | { readonly op: 'renameFolder'; readonly from: string; readonly to: string }
  | { readonly op: 'set'; readonly key: string; readonly deps: readonly string[] }
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'restart'; readonly whileClosed: Op | undefined };

const fileOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('write' as const),
    file: fc.constantFrom(...FILES),
    content: fc.constantFrom(...CONTENTS),
  }),
  fc.record({ op: fc.constant('delete' as const), file: fc.constantFrom(...FILES) }),
  fc.record({
    op: fc.constant('rename' as const),
    from: fc.constantFrom(...FILES),
    to: fc.constantFrom(...FILES),
  }),
  fc.record({ op: fc.constant('removeFolder' as const), folder: fc.constantFrom(...FOLDERS) }),
  fc.record({
    op: fc.constant('renameFolder' as const),
    from: fc.constantFrom(...FOLDERS),
    to: fc.constantFrom('d', 'a/e', 'c/f'),
  }),
);

const cacheOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('set' as const),
    key: fc.constantFrom(...KEYS),
    deps: fc.uniqueArray(fc.constantFrom(...DEP_PATHS), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ op: fc.constant('get' as const), key: fc.constantFrom(...KEYS) }),
);

function opsArbitrary(withRestarts: boolean): fc.Arbitrary<Op[]> {
  const restart = fc.record({
    op: fc.constant('restart' as const),
    whileClosed: fc.option(fileOp, { nil: undefined }),
  });
  const weighted = withRestarts
    ? fc.oneof(
        { arbitrary: fileOp, weight: 4 },
        { arbitrary: cacheOp, weight: 6 },
        { arbitrary: restart, weight: 1 },
      )
    : fc.oneof({ arbitrary: fileOp, weight: 4 }, { arbitrary: cacheOp, weight: 6 });
  return fc.array(weighted, { minLength: 5, maxLength: 30 });
}

/** The state of a path as the model sees it, read straight from the disk. */
function stateOf(root: string, relative: string): string {
  const absolute = path.join(root, relative);
  if (!existsSync(absolute)) return '<absent>';
  if (!statSync(absolute).isDirectory()) return 'F:' + readFileSync(absolute, 'utf8');
  const names = readdirSync(absolute)
    .filter((name) => name !== '.keep')
    .sort();
  return (
    'D[' +
    names.map((name) => name + '=' + stateOf(root, path.join(relative, name))).join(',') +
    ']'
  );
}

function snapshotOf(root: string, deps: readonly string[]): string {
  return deps.map((dep) => `${dep}:${stateOf(root, dep)}`).join('|');
}

/** Apply a file operation; returns the paths it touched (nothing if it did not apply). */
function applyFileOp(root: string, op: Op): string[] {
  const at = (relative: string): string => path.join(root, relative);
  switch (op.op) {
    case 'write':
      mkdirSync(path.dirname(at(op.file)), { recursive: true });
      writeFileSync(at(op.file), op.content);
      return [op.file];
    case 'delete':
      if (!existsSync(at(op.file))) return [];
      rmSync(at(op.file));
      return [op.file];
    case 'rename':
      if (!existsSync(at(op.from)) || op.from === op.to) return [];
      mkdirSync(path.dirname(at(op.to)), { recursive: true });
      renameSync(at(op.from), at(op.to));
      return [op.from, op.to];
    case 'removeFolder':
      if (!existsSync(at(op.folder))) return [];
      rmSync(at(op.folder), { recursive: true });
      return [op.folder];
    case 'renameFolder':
      if (
        !existsSync(at(op.from)) ||
        existsSync(at(op.to)) ||
        (op.to + '/').startsWith(op.from + '/')
      )
        return [];
      mkdirSync(path.dirname(at(op.to)), { recursive: true });
      renameSync(at(op.from), at(op.to));
      return [op.from, op.to];
    default:
      return [];
  }
}

interface ModelEntry {
  readonly deps: readonly string[];
  readonly snapshot: string;
  /** A dependency was seen in another state since the entry was stored. */
  broken: boolean;
}

interface RunOptions {
  readonly watch: WatchBackend;
  readonly hotMaxBytes: number;
}

/** Wait until the tree shows what the disk holds (watcher-driven runs). */
async function caughtUp(cache: TokenCache, root: string): Promise<void> {
  await waitFor(
    () =>
      DEP_PATHS.every((relative) => {
        const state = stateOf(root, relative);
        const hash = cache.hashOf(relative);
        if (state === '<absent>') return hash === undefined;
        if (state.startsWith('F:')) return hash === hashBytes(Buffer.from(state.slice(2))).hash;
        return hash !== undefined;
      }),
    5000,
    'the watcher to catch up',
  );
  await cache.settled();
}

async function runSequence(t: TestContext, ops: readonly Op[], options: RunOptions): Promise<void> {
  const dir = tempDir(t, 'troika-cache-prop-');
  const root = path.join(dir, 'ws');
  mkdirSync(root);
  writeFileSync(path.join(root, '.keep'), '');
  const coldDbFile = path.join(dir, 'cold.db');
  const open = (): Promise<TokenCache> =>
    TokenCache.open({
      root,
      coldDbFile,
      watch: options.watch,
      hotMaxBytes: options.hotMaxBytes,
      onWarning: () => {},
    });
  const model = new Map<string, ModelEntry>();
  const observe = (): void => {
    for (const entry of model.values())
      if (snapshotOf(root, entry.deps) !== entry.snapshot) entry.broken = true;
  };
  const sync = async (cache: TokenCache, touched: string[]): Promise<void> => {
    if (options.watch === 'none') await cache.touched(touched);
    else await caughtUp(cache, root);
  };
  let cache = await open();
  try {
    for (const op of ops) {
      if (op.op === 'set') {
        const snapshot = snapshotOf(root, op.deps);
        const stored = cache.set(op.key, snapshot, { deps: op.deps.map((dep) => ({ path: dep })) });
        assert.equal(stored, true, `set ${op.key} on ${op.deps.join(', ')}`);
        model.set(op.key, { deps: op.deps, snapshot, broken: false });
      } else if (op.op === 'get') {
        const value = cache.get(op.key);
        const entry = model.get(op.key);
        if (value !== undefined) {
          assert.ok(entry !== undefined, `hit for a key never set: ${op.key}`);
          assert.equal(value, snapshotOf(root, entry.deps), `stale hit for ${op.key}`);
        } else if (entry !== undefined) {
          assert.ok(
            entry.broken,
            `miss for ${op.key} whose dependencies did not change (${entry.deps.join(', ')})`,
          );
        }
      } else if (op.op === 'restart') {
        await cache.dispose();
        // Changed while nothing watched: only the revalidation on open can notice.
        if (op.whileClosed !== undefined) applyFileOp(root, op.whileClosed);
        cache = await open();
        observe();
      } else {
        const touched = applyFileOp(root, op);
        if (touched.length === 0) continue;
        await sync(cache, touched);
        observe();
      }
    }
  } finally {
    await cache.dispose();
  }
}

test('random edits, renames, deletes, restarts and reads: no stale hit, no needless miss (touched)', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      opsArbitrary(true),
      fc.constantFrom(64 * 1024 * 1024, 4096),
      async (ops, hotMaxBytes) => {
        await runSequence(t, ops, { watch: 'none', hotMaxBytes });
      },
    ),
    { numRuns: 200 },
  );
});

test('the same with the file watcher as the only source of changes', async (t) => {
  await fc.assert(
    fc.asyncProperty(opsArbitrary(false), async (ops) => {
      await runSequence(t, ops, { watch: 'folders', hotMaxBytes: 64 * 1024 * 1024 });
    }),
    { numRuns: 25 },
  );
});
