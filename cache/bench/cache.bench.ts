/**
 * Token cache benchmark: `npm run bench:cache`. One run; one JSON line per
 * section on stdout, then the summary object (with goals and whether each was
 * met) as the last line. Everything it creates lives under os.tmpdir() and is
 * deleted at the end.
 */
import { appendFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { MerkleTree } from '../merkle/tree.ts';
import { ColdTier } from '../store/cold-tier.ts';
import { TokenCache } from '../token-cache.ts';
import { collectGarbage, opsPerSecond, quantile, round, sampleMicros } from './stats.ts';
import { generateWorkspace } from './workspace.ts';

/** Entries for the hot and cold read/write figures: the same 100,000 as the other figures. */
const OPS_ENTRIES = 100_000;
/** Block-timed hot reads, in rounds (see benchHotAndCold). */
const HOT_GET_OPS = 2_000_000;
const HOT_GET_ROUNDS = 10;
/** Per-op samples for percentiles. */
const SAMPLES = 50_000;
const COLD_SAMPLES = 20_000;
const COLD_SET_SAMPLES = 2_000;
/** A typical tool result: a ~1 KB slice of a file. */
const VALUE = 'x'.repeat(1024);
const WORKSPACE = { files: 10_000, bytes: 100 * 1024 * 1024, largeFiles: 20 };
const INVALIDATION_ENTRIES = 100_000;
const MEMORY_ENTRIES = 100_000;
const REHASH_EDITS = 50;
const WATCH_EDITS = 30;

const GOALS = {
  hot_get_ops_s: { goal: 1_000_000, atLeast: true },
  cold_get_p99_us: { goal: 100, atLeast: false },
  first_hash_mb_s: { goal: 200, atLeast: true },
  rehash_one_file_ms: { goal: 5, atLeast: false },
  invalidate_one_file_ms: { goal: 1, atLeast: false },
} as const;

function report(section: string, figures: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ section, ...figures }) + '\n');
}

function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Files spread over the workspace, small text ones (the common edit). */
function editableFiles(files: readonly string[], count: number): string[] {
  const small = files.filter((file) => file.endsWith('.ts'));
  const step = Math.max(1, Math.floor(small.length / count));
  return small.filter((_, index) => index % step === 0).slice(0, count);
}

async function benchHotAndCold(
  dir: string,
  workspaceFiles: readonly string[],
): Promise<Record<string, number>> {
  const root = path.join(dir, 'ws');
  const coldDbFile = path.join(dir, 'ops-cold.db');
  const deps = workspaceFiles.map((file) => [{ path: file }]);
  const keyOf = (index: number): string => `read_file:{"path":"f${index}"}`;
  const keys = Array.from({ length: OPS_ENTRIES }, (_, index) => keyOf(index));

  let cache = await TokenCache.open({
    root,
    coldDbFile,
    watch: 'none',
    hotMaxBytes: 2 * 1024 ** 3,
  });
  const hotSetOps = opsPerSecond(OPS_ENTRIES, (index) => {
    cache.set(keys[index]!, VALUE, { tokens: 256, deps: deps[index % deps.length]! });
  });
  const hotSetSamples = sampleMicros(SAMPLES, (index) => {
    cache.set(keys[index]!, VALUE, { tokens: 256, deps: deps[index % deps.length]! });
  });
  // Reads in a scattered order, so the figure is not a cache-line best case.
  const order = Uint32Array.from(
    { length: OPS_ENTRIES },
    (_, index) => (index * 7919) % OPS_ENTRIES,
  );
  let served = 0;
  // Rounds, because other work on a shared 2-core machine steals whole time slices:
  // the median round is the figure, the best and worst are printed beside it.
  const hotGetRounds: number[] = [];
  for (let round = 0; round < HOT_GET_ROUNDS; round++) {
    hotGetRounds.push(
      opsPerSecond(HOT_GET_OPS / HOT_GET_ROUNDS, (index) => {
        if (cache.get(keys[order[index % OPS_ENTRIES]!]!) !== undefined) served++;
      }),
    );
  }
  const hotGetOps = quantile(hotGetRounds, 0.5);
  const hotGetSamples = sampleMicros(SAMPLES, (index) => {
    cache.get(keys[order[index]!]!);
  });
  if (served !== HOT_GET_OPS) throw new Error(`hot reads missed: ${HOT_GET_OPS - served}`);
  // In key order (neighbouring entries share cache lines): the friendliest access pattern.
  const hotGetSequentialOps = opsPerSecond(HOT_GET_OPS, (index) => {
    cache.get(keys[index % OPS_ENTRIES]!);
  });
  // After any tree change each entry's dependencies are looked up once more on its next read.
  appendFileSync(path.join(root, 'unrelated.txt'), 'a file no entry depends on\n');
  await cache.touched(['unrelated.txt']);
  const hotGetRevalidateOps = opsPerSecond(OPS_ENTRIES, (index) => {
    cache.get(keys[order[index]!]!);
  });
  const flushStart = performance.now();
  await cache.dispose(); // writes the queued cold records in one transaction
  const flushMs = performance.now() - flushStart;

  // A restart: the hot tier is empty, every read goes to SQLite, is validated, promoted.
  const reopenStart = performance.now();
  cache = await TokenCache.open({ root, coldDbFile, watch: 'none', hotMaxBytes: 2 * 1024 ** 3 });
  const reopenMs = performance.now() - reopenStart;
  const coldGetSamples = sampleMicros(COLD_SAMPLES, (index) => {
    if (cache.get(keys[order[index]!]!) === undefined) throw new Error('cold read missed');
  });
  const coldMetrics = cache.metrics().cold;
  await cache.dispose();

  // The tier on its own: a point lookup, and a synchronous single-row commit (the worst case;
  // the cache itself batches writes per flush).
  const tier = ColdTier.open({ file: coldDbFile, maxBytes: 4 * 1024 ** 3, onWarning: () => {} });
  const tierGetSamples = sampleMicros(COLD_SAMPLES, (index) => {
    tier.get(keys[order[index]!]!);
  });
  const coldSetSamples = sampleMicros(COLD_SET_SAMPLES, (index) => {
    tier.put({
      key: `cold-set-${index}`,
      payload: VALUE,
      encoding: 'string',
      tokens: 256,
      deps: [
        {
          path: workspaceFiles[index % workspaceFiles.length]!,
          kind: 'file',
          hash: 'h'.repeat(64),
        },
      ],
      bytes: 2400,
      expiresAt: Date.now() + 3_600_000,
    });
    tier.flush();
  });
  tier.close();

  const figures = {
    hot_set_ops_s: Math.round(hotSetOps),
    hot_set_p99_us: round(quantile(hotSetSamples, 0.99)),
    hot_get_ops_s: Math.round(hotGetOps),
    hot_get_ops_s_best_round: Math.round(Math.max(...hotGetRounds)),
    hot_get_ops_s_worst_round: Math.round(Math.min(...hotGetRounds)),
    hot_get_p50_us: round(quantile(hotGetSamples, 0.5), 3),
    hot_get_p99_us: round(quantile(hotGetSamples, 0.99), 3),
    hot_get_sequential_ops_s: Math.round(hotGetSequentialOps),
    hot_get_first_after_change_ops_s: Math.round(hotGetRevalidateOps),
    cold_get_p50_us: round(quantile(coldGetSamples, 0.5)),
    cold_get_p99_us: round(quantile(coldGetSamples, 0.99)),
    cold_tier_get_p99_us: round(quantile(tierGetSamples, 0.99)),
    cold_set_p50_us: round(quantile(coldSetSamples, 0.5)),
    cold_set_p99_us: round(quantile(coldSetSamples, 0.99)),
    cold_flush_rows_s: Math.round(OPS_ENTRIES / (flushMs / 1000)),
    cold_reopen_ms: round(reopenMs, 1),
    cold_hits: coldMetrics.hits,
  };
  report('hot_and_cold', { entries: OPS_ENTRIES, value_bytes: VALUE.length, ...figures });
  return figures;
}

async function benchTree(
  root: string,
  files: readonly string[],
  bytes: number,
): Promise<Record<string, number>> {
  const start = performance.now();
  // The default backend on this platform, as the app opens it: watches are set up during the scan.
  const tree = await MerkleTree.open({ root });
  const firstHashMs = performance.now() - start;
  const times: number[] = [];
  for (const file of editableFiles(files, REHASH_EDITS)) {
    appendFileSync(path.join(root, file), '\n// edited\n');
    const editStart = performance.now();
    await tree.touched([file]);
    times.push(performance.now() - editStart);
  }
  // Another process's edit: from the write until the watcher-driven rehash shows it.
  const watchLatency: number[] = [];
  if (tree.watchBackend !== 'none') {
    for (const file of editableFiles(files, WATCH_EDITS)) {
      const before = tree.hashOf(file);
      const editStart = performance.now();
      appendFileSync(path.join(root, file), '\n// edited elsewhere\n');
      while (tree.hashOf(file) === before || tree.hashOf(file) === undefined) {
        if (performance.now() - editStart > 5000)
          throw new Error(`the watcher missed an edit of ${file}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      watchLatency.push(performance.now() - editStart);
    }
  }
  const stats = tree.stats();
  const backend = tree.watchBackend;
  await tree.dispose();
  const figures = {
    first_hash_ms: round(firstHashMs, 1),
    first_hash_mb_s: round(bytes / 1024 / 1024 / (firstHashMs / 1000), 1),
    rehash_one_file_ms: round(median(times), 3),
    rehash_one_file_p99_ms: round(quantile(times, 0.99), 3),
    watch_edit_to_rehash_p50_ms: round(quantile(watchLatency, 0.5), 2),
    watch_edit_to_rehash_p90_ms: round(quantile(watchLatency, 0.9), 2),
  };
  report('merkle_tree', {
    files: stats.files,
    folders: stats.folders,
    mb: round(bytes / 1024 / 1024, 1),
    watch: backend,
    ...figures,
  });
  return figures;
}

async function benchInvalidation(
  dir: string,
  files: readonly string[],
): Promise<Record<string, number>> {
  const root = path.join(dir, 'ws');
  const cache = await TokenCache.open({
    root,
    coldDbFile: path.join(dir, 'invalidation-cold.db'),
    watch: 'none',
    hotMaxBytes: 2 * 1024 ** 3,
  });
  for (let index = 0; index < INVALIDATION_ENTRIES; index++) {
    cache.set(`grep:${index}`, VALUE, {
      tokens: 256,
      deps: [{ path: files[index % files.length]! }],
    });
  }
  cache.flush(); // so the timings below measure invalidation, not the first cold write-out
  const perFile = INVALIDATION_ENTRIES / files.length;
  const invalidationMs: number[] = [];
  const touchedMs: number[] = [];
  for (const file of editableFiles(files, 20)) {
    appendFileSync(path.join(root, file), '\n// edited again\n');
    const start = performance.now();
    await cache.touched([file]);
    touchedMs.push(performance.now() - start);
    const round = cache.metrics().lastInvalidation;
    if (round === undefined || round.entries !== perFile)
      throw new Error(`expected ${perFile} invalidated, got ${round?.entries}`);
    invalidationMs.push(round.ms);
  }
  const entriesLeft = cache.metrics().hot.entries;
  await cache.dispose();
  const figures = {
    invalidate_one_file_ms: round(median(invalidationMs), 4),
    invalidate_one_file_p99_ms: round(quantile(invalidationMs, 0.99), 4),
    touched_one_file_total_ms: round(median(touchedMs), 3),
  };
  report('invalidation', {
    entries: INVALIDATION_ENTRIES,
    entries_per_file: perFile,
    entries_left: entriesLeft,
    ...figures,
  });
  return figures;
}

async function benchMemory(dir: string, files: readonly string[]): Promise<Record<string, number>> {
  const root = path.join(dir, 'ws');
  const cache = await TokenCache.open({ root, watch: 'none', hotMaxBytes: 2 * 1024 ** 3 });
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  for (let index = 0; index < MEMORY_ENTRIES; index++) {
    // Distinct ~100-character values, so each entry pays for its own string.
    cache.set(`read_file:{"path":"m${index}"}`, 'line of cached tool output '.repeat(4) + index, {
      tokens: 30,
      deps: [{ path: files[index % files.length]! }],
    });
  }
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  const entries = cache.metrics().hot.entries;
  await cache.dispose();
  const figures = { bytes_per_entry: Math.round((after - before) / entries) };
  report('memory', { entries, value_chars: 112, key_chars: 28, deps_per_entry: 1, ...figures });
  return figures;
}

function syncDisks(): boolean {
  try {
    execFileSync('sync', { stdio: 'ignore' });
    return true;
  } catch {
    return false; // no `sync` command (Windows): the figure then includes writeback
  }
}

async function main(): Promise<void> {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'troika-cache-bench-')));
  try {
    const root = path.join(dir, 'ws');
    mkdirSync(root);
    const generated = generateWorkspace(root, WORKSPACE);
    // Write the new files out first, so the first hash does not compete with their writeback.
    const synced = syncDisks();
    report('workspace', {
      files: generated.files.length,
      mb: round(generated.bytes / 1024 / 1024, 1),
      synced,
    });
    const tree = await benchTree(root, generated.files, generated.bytes);
    const ops = await benchHotAndCold(dir, generated.files);
    const invalidation = await benchInvalidation(dir, generated.files);
    const memory = await benchMemory(dir, generated.files);
    const summary: Record<string, unknown> = { ...ops, ...tree, ...invalidation, ...memory };
    const goals: Record<string, { goal: string; value: number; met: boolean }> = {};
    for (const [name, { goal, atLeast }] of Object.entries(GOALS)) {
      const value = summary[name] as number;
      goals[name] = {
        goal: `${atLeast ? '>=' : '<='} ${goal}`,
        value,
        met: atLeast ? value >= goal : value <= goal,
      };
    }
    summary['goals'] = goals;
    summary['all_goals_met'] = Object.values(goals).every((goal) => goal.met);
    summary['machine'] = {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      // Other work on the machine moves every figure here; this says how much there was.
      load_average_1m: round(os.loadavg()[0] ?? 0, 2),
    };
    process.stdout.write(JSON.stringify(summary) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
