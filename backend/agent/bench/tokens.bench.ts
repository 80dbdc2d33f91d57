/**
 * `agent/bench/` owns the token benchmark and its fixed session.
 *
 * Token benchmark: `npm run bench:tokens`.
 *
 * Plays three sessions (sessions.ts) through the real agent runtime, the real
 * SDK, real tools in the agent's PTY, and the local Messages server, whose
 * model is the honest scripted model of honest-model.ts: it decides each turn
 * from what it is sent, so a result hidden from it is read again and paid.
 *
 * Each session runs under every configuration of the ablation, with the
 * product's own switches (hooks/token-economy.ts):
 *   prompt-cache     every switch off: what the user pays with prompt caching alone (the baseline);
 *   token-cache, references, clearing   one switch on;
 *   all-on           every switch on (the product's default);
 *   all-on-threshold-clearing   the same with the earlier clearing rule (a batch whenever it frees enough);
 *   context-editing  every switch off, the API's server-side tool-result clearing at its documented defaults.
 *
 * The figure is the billed cost (billing.ts): input at the base price, cache
 * writes 1.25x, cache reads 0.1x, with the model's minimum cacheable prefix;
 * output tokens are reported beside it (in USD) but the goal is on input.
 * Every answer a hook gave in the tool's place is checked against a fresh
 * run at that moment (answer-check.ts). The overhead per tool call is the
 * time in the hook pipeline (tool-call.ts), pooled over extra all-on runs:
 * wall time, so on a loaded machine it measures the load too (the summary
 * gives the load average before and after). The scripted API runs on its own
 * process at the lowest priority (model-worker.ts), as the real one is
 * remote: its work and garbage do not take the measured process's CPU.
 *
 * A limit of the emulation: a session plays in seconds here, so no prompt
 * cache entry outlives its 5 minutes. The baseline only ever reads the
 * previous request's entry; clearing reads up to an older one (its anchor,
 * tool-result-clearing.ts), which the product counts on only while it is
 * younger than 4 minutes by its own clock; in these sessions the anchors used
 * are 6 to 16 requests old, about 1.5 to 4 minutes at a real agent's pace.
 * Prints one JSON line per run, then the summary as the last line.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheMinTokens, DEFAULT_MODEL } from '../../provider/models.ts';
import {
  CONTEXT_EDITING_DEFAULTS,
  type ContextEditingSettings,
} from '../../testing/messages-server/index.ts';
import {
  TOKEN_ECONOMY_OFF,
  TOKEN_ECONOMY_ON,
  type TokenEconomy,
} from '../../hooks/token-economy.ts';
import { NO_CACHE_USAGE } from '../cache-usage.ts';
import { CONTEXT_EDITING_HOOK_NAME } from '../hook-reports.ts';
import { Harness } from '../testing/harness.ts';
import type { ToolTiming } from '../tool-call.ts';
import { AnswerCheck, type StaleAnswer } from './answer-check.ts';
import { bill, type Bill } from './billing.ts';
import type { ModelCounts } from './honest-model.ts';
import { ModelProcess } from './model-process.ts';
import { repeatedUnchangedReads } from './repeated-reads.ts';
import { SESSIONS as ALL_SESSIONS, type BenchSession } from './sessions.ts';

const MODEL = DEFAULT_MODEL;

/** `--name=a,b` from the command line (to play a part while working on it); undefined for all. */
function arg(name: string): string[] | undefined {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found?.slice(name.length + 3).split(',');
}

/** Extra all-on runs per session whose hook timings make the overhead percentiles (warm code). */
const OVERHEAD_RUNS = Number(arg('overhead-runs')?.[0] ?? 3);

const GOALS = {
  billedReductionVsPromptCache: 0.3,
  hitRatioRepeatedReads: 0.85,
  overheadP99Ms: 2,
  staleAnswers: 0,
} as const;

interface Config {
  readonly name: string;
  readonly economy: TokenEconomy;
  readonly contextEditing?: ContextEditingSettings;
  /** The clearing policy, when not the product's default. */
  readonly clearingPolicy?: 'threshold';
}

const ALL_CONFIGS: readonly Config[] = [
  { name: 'prompt-cache', economy: TOKEN_ECONOMY_OFF },
  { name: 'token-cache', economy: { ...TOKEN_ECONOMY_OFF, tokenCache: true } },
  { name: 'references', economy: { ...TOKEN_ECONOMY_OFF, references: true } },
  { name: 'clearing', economy: { ...TOKEN_ECONOMY_OFF, clearing: true } },
  { name: 'all-on', economy: TOKEN_ECONOMY_ON },
  // The previous clearing rule (clear whenever a batch frees enough), to show what the cache-aware one is worth.
  { name: 'all-on-threshold-clearing', economy: TOKEN_ECONOMY_ON, clearingPolicy: 'threshold' },
  { name: 'context-editing', economy: TOKEN_ECONOMY_OFF, contextEditing: CONTEXT_EDITING_DEFAULTS },
];
const CONFIGS = ALL_CONFIGS.filter((c) => arg('configs')?.includes(c.name) ?? true);
const SESSIONS = ALL_SESSIONS.filter((s) => arg('sessions')?.includes(s.name) ?? true);

interface Run {
  session: string;
  config: string;
  state: string;
  bill: Bill;
  model: ModelCounts;
  timings: ToolTiming[];
  clearings: number;
  cache: typeof NO_CACHE_USAGE;
  hookAnswers: number;
  stale: StaleAnswer[];
  repeated: { reads: number; answered: number };
}

let runNumber = 0;

async function play(session: BenchSession, config: Config, root: string): Promise<Run> {
  const name = `r${String(runNumber++).padStart(3, '0')}`;
  const dataDir = join(root, `data-${name}`);
  const workspace = join(root, `repo-${name}`);
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  session.fixture(workspace);
  const api = await ModelProcess.start({
    session: session.name,
    cacheMinTokens: cacheMinTokens(MODEL),
    ...(config.contextEditing !== undefined && { contextEditing: config.contextEditing }),
  });
  const check = new AnswerCheck(workspace);
  const timings: ToolTiming[] = [];
  const h = await Harness.start({
    dataDir,
    sharedServer: api.server,
    // The product's file watching (per platform) and switches, as the app runs them.
    hooks: {
      watch: undefined,
      economy: { global: () => config.economy },
      ...(config.clearingPolicy !== undefined && {
        toolResultClearing: { policy: config.clearingPolicy },
      }),
    },
    manager: {
      onToolTiming: (_agentId, timing) => {
        timings.push(timing);
        if (timing.answeredByHook || timing.name === 'str_replace_based_edit_tool')
          check.snapshot(timing.toolUseId, timing.answeredByHook);
      },
      limits: { retryBaseDelayMs: 10, commandTimeoutMs: 60_000 },
    },
  });
  try {
    const { id } = await h.manager.start({ task: session.task, workspace, model: MODEL });
    const done = await h.waitFor(
      (e) =>
        e.event === 'agent.state' &&
        e.data.agentId === id &&
        ['done', 'failed', 'stopped'].includes(e.data.state),
      300_000,
    );
    const final = done.event === 'agent.state' ? done.data.agent : undefined;
    const { requests, counts } = await api.finish();
    const bodies = requests.map((r) => r.body);
    const answered = new Set(timings.filter((t) => t.answeredByHook).map((t) => t.toolUseId));
    return {
      session: session.name,
      config: config.name,
      state: final?.state ?? 'unknown',
      bill: bill(MODEL, requests),
      model: counts,
      timings,
      clearings: h.eventsOf('agent.hook', id).filter((e) => e.hook === CONTEXT_EDITING_HOOK_NAME)
        .length,
      cache: final?.cache ?? NO_CACHE_USAGE,
      stale: await check.stale(bodies),
      hookAnswers: check.answers,
      repeated: repeatedUnchangedReads(bodies, session.plan, answered),
    };
  } finally {
    await h.dispose();
    await api.terminate();
  }
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

function runLine(run: Run): Record<string, unknown> {
  return {
    session: run.session,
    config: run.config,
    state: run.state,
    requests: run.bill.requests,
    tool_calls: run.timings.length,
    billed_input_equivalent: round(run.bill.inputEquivalent, 0),
    usd_with_output: round(run.bill.usd, 4),
    uncached_input: run.bill.uncachedInputTokens,
    cache_writes: run.bill.cacheWriteTokens,
    cache_reads: run.bill.cacheReadTokens,
    output_tokens: run.bill.outputTokens,
    model: run.model,
    clearings: run.clearings,
    answered_by_hooks: run.hookAnswers,
    references: run.cache.references,
    cache_hits: run.cache.hits,
    stale_answers: run.stale.length,
    ...(run.stale.length > 0 && { stale_calls: run.stale.map((s) => s.call) }),
    repeated_unchanged_reads: run.repeated,
  };
}

const reduction = (on: number, base: number) => round(1 - on / base);

async function main(): Promise<void> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'troika-bench-tokens-')));
  const loadBefore = loadavg().map((l) => round(l, 2));
  const started = Date.now();
  try {
    const runs: Run[] = [];
    for (const session of SESSIONS)
      for (const config of CONFIGS) {
        const run = await play(session, config, root);
        runs.push(run);
        process.stdout.write(JSON.stringify(runLine(run)) + '\n');
      }
    // A partial run (--sessions, --configs) prints its runs only: the summary compares every configuration.
    if (CONFIGS.length !== ALL_CONFIGS.length) return;
    const allOn = ALL_CONFIGS.find((c) => c.name === 'all-on') as Config;
    const overhead: number[] = [];
    const slowest: ToolTiming[] = [];
    for (const session of SESSIONS)
      for (let i = 0; i < OVERHEAD_RUNS; i++) {
        const run = await play(session, allOn, root);
        overhead.push(...run.timings.map((t) => t.hooksMs));
        slowest.push(...run.timings);
      }
    slowest.sort((a, b) => b.hooksMs - a.hooksMs);

    const of = (session: string, config: string) =>
      runs.find((r) => r.session === session && r.config === config) as Run;
    const total = (config: string) =>
      SESSIONS.reduce((sum, s) => sum + of(s.name, config).bill.inputEquivalent, 0);
    const perSession = Object.fromEntries(
      SESSIONS.map((s) => {
        const base = of(s.name, 'prompt-cache').bill.inputEquivalent;
        const editing = of(s.name, 'context-editing').bill.inputEquivalent;
        const on = of(s.name, 'all-on').bill.inputEquivalent;
        return [
          s.name,
          {
            billed_reduction_vs_prompt_cache: reduction(on, base),
            billed_reduction_vs_context_editing: reduction(on, editing),
            billed_input_equivalent: Object.fromEntries(
              CONFIGS.map((c) => [c.name, round(of(s.name, c.name).bill.inputEquivalent, 0)]),
            ),
            usd_with_output: Object.fromEntries(
              CONFIGS.map((c) => [c.name, round(of(s.name, c.name).bill.usd, 4)]),
            ),
          },
        ];
      }),
    );
    const ablation = Object.fromEntries(
      CONFIGS.map((c) => [
        c.name,
        {
          billed_input_equivalent: round(total(c.name), 0),
          reduction_vs_prompt_cache: reduction(total(c.name), total('prompt-cache')),
        },
      ]),
    );
    const onRuns = runs.filter((r) => r.config === 'all-on');
    const repeatedReads = onRuns.reduce((sum, r) => sum + r.repeated.reads, 0);
    const repeatedAnswered = onRuns.reduce((sum, r) => sum + r.repeated.answered, 0);
    const hitRatio = repeatedReads === 0 ? Number.NaN : repeatedAnswered / repeatedReads;
    const billedVsPromptCache = reduction(total('all-on'), total('prompt-cache'));
    const billedVsEditing = reduction(total('all-on'), total('context-editing'));
    const stale = runs.reduce((sum, r) => sum + r.stale.length, 0);
    const p99 = quantile(overhead, 0.99);
    const noSessionCostlier = SESSIONS.every(
      (s) =>
        of(s.name, 'all-on').bill.inputEquivalent <=
        of(s.name, 'prompt-cache').bill.inputEquivalent,
    );
    const summary = {
      billed_reduction_vs_prompt_cache: billedVsPromptCache,
      billed_reduction_vs_context_editing: billedVsEditing,
      per_session: perSession,
      ablation,
      stale_answers: stale,
      hook_answers_checked: runs.reduce((sum, r) => sum + r.hookAnswers, 0),
      hit_ratio_repeated_reads: Number.isNaN(hitRatio) ? null : round(hitRatio),
      repeated_unchanged_reads: repeatedReads,
      overhead_p50_ms: round(quantile(overhead, 0.5), 3),
      overhead_p99_ms: round(p99, 3),
      overhead_samples: overhead.length,
      // The calls behind the tail: which tool, and how much of it was PreToolUse (the rest PostToolUse).
      overhead_slowest: slowest.slice(0, 5).map((t) => ({
        tool: t.name,
        hooks_ms: round(t.hooksMs, 3),
        pre_tool_use_ms: round(t.preToolUseMs, 3),
      })),
      all_runs_done: runs.every((r) => r.state === 'done'),
      goals: {
        billed_reduction_vs_prompt_cache: {
          goal: GOALS.billedReductionVsPromptCache,
          value: billedVsPromptCache,
          met: billedVsPromptCache >= GOALS.billedReductionVsPromptCache,
        },
        no_session_costlier_than_prompt_cache: { met: noSessionCostlier },
        beats_context_editing: { value: billedVsEditing, met: billedVsEditing > 0 },
        hit_ratio_repeated_reads: {
          goal: GOALS.hitRatioRepeatedReads,
          value: Number.isNaN(hitRatio) ? null : round(hitRatio),
          met: hitRatio >= GOALS.hitRatioRepeatedReads,
        },
        overhead_p99_ms: {
          goal: GOALS.overheadP99Ms,
          value: round(p99, 3),
          met: p99 <= GOALS.overheadP99Ms,
        },
        stale_answers: {
          goal: GOALS.staleAnswers,
          value: stale,
          met: stale === GOALS.staleAnswers,
        },
      },
      pricing: `billed input = uncached + 1.25 x cache writes (5 min) + 0.1 x cache reads, in base-price input tokens; model ${MODEL}, minimum cacheable prefix ${cacheMinTokens(MODEL)} tokens; usd_with_output adds output at the model's price`,
      context_editing: CONTEXT_EDITING_DEFAULTS,
      machine: {
        cpus: availableParallelism(),
        loadavg_1_5_15_before: loadBefore,
        loadavg_1_5_15_after: loadavg().map((l) => round(l, 2)),
      },
      wall_s: round((Date.now() - started) / 1000, 1),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    };
    process.stdout.write(JSON.stringify(summary) + '\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
