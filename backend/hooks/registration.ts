/**
 * Where hooks are registered: one agent run's pipeline, built from Troika's
 * built-ins and the user's command hooks, every one a plain `Hook`, put in
 * the documented order by `orderHooks` (order.ts). Which built-ins run is a
 * list ({@link BUILTIN_HOOKS}); each also needs what it works with (personas
 * for `persona`, token caches for `cache`, settings for `clearing`).
 */
import type { Redactor } from '../redaction/redact.ts';
import type { ClaudePermissions } from './builtin/policy/claude-permissions.ts';
import type { TokenEconomy } from './token-economy.ts';
import {
  auditHook,
  cacheHook,
  clearingHook,
  personaHook,
  policyHook,
  redactionHook,
  type CacheLedger,
  type PersonaSelection,
  type ToolResultClearing,
} from './builtin/index.ts';
import type { Hook } from './hook.ts';
import type { AgentHookEvent } from './hook-events.ts';
import { orderHooks } from './order.ts';
import { HookPipeline } from './pipeline.ts';
import type { HookAgent } from './runner.ts';
import type { HookFailure } from './types.ts';
import type { CacheProvider } from './workspace-caches.ts';

/** Troika's built-in hooks, in the order they run (the user's command hooks go after `policy`). */
export const BUILTIN_HOOKS = [
  'policy',
  'redaction',
  'persona',
  'cache',
  'clearing',
  'audit',
] as const;
export type BuiltinHookName = (typeof BUILTIN_HOOKS)[number];

/** What outlives an agent's runs: kept per agent by the runner. */
export interface AgentMemory {
  readonly selection: PersonaSelection | undefined;
  readonly ledger: CacheLedger;
  readonly clearing: ToolResultClearing | undefined;
}

/** One run's pipeline and what it holds. */
export interface Run {
  readonly pipeline: HookPipeline;
  /** The workspace whose cache this run holds. */
  readonly cacheDir: string | undefined;
  /** PreToolUse outcomes the PostToolUse of the same call needs. */
  readonly calls: Map<
    string,
    {
      readonly denied: boolean;
      readonly answeredBy: string | undefined;
      readonly context: readonly string[];
    }
  >;
}

export interface RunSetup {
  readonly builtins: ReadonlySet<BuiltinHookName>;
  /** The user's command hooks, in settings order. */
  readonly commands: readonly Hook[];
  readonly redactor: Redactor;
  readonly caches: CacheProvider | undefined;
  readonly transcriptPath: ((agentId: string) => string) | undefined;
  /** Claude Code's permission rules the policy applies beside Troika's own. */
  readonly permissions: ClaudePermissions | undefined;
  /** Each agent's token economy switches: token cache answers, references, clearing. */
  readonly economy: (agentId: string) => TokenEconomy;
  readonly emit: (agentId: string, event: AgentHookEvent) => void;
  /** A failure, redacted, for the agent's events. */
  readonly onFailure: (agentId: string, failure: HookFailure) => void;
}

/** The token cache for the agent's workspace, or why there is none (reported, the run goes on without it). */
async function acquireCache(
  setup: RunSetup,
  agent: HookAgent,
  memory: AgentMemory,
): Promise<{ hook: Hook; dir: string } | undefined> {
  if (setup.caches === undefined || !setup.builtins.has('cache')) return undefined;
  const economy = setup.economy(agent.agentId);
  if (!economy.tokenCache && !economy.references) return undefined;
  try {
    const tokenCache = await setup.caches.acquire(agent.workDir);
    const hook = cacheHook({
      cache: tokenCache,
      ledger: memory.ledger,
      answers: economy.tokenCache,
      references: economy.references,
      onStats: (stats) => setup.emit(agent.agentId, { type: 'cache.stats', stats }),
    });
    return { hook, dir: agent.workDir };
  } catch (error) {
    setup.onFailure(agent.agentId, {
      hook: 'cache',
      event: 'UserPromptSubmit',
      kind: 'error',
      message: `the token cache could not be opened: ${(error as Error).message}`,
      effect: 'ignored',
    });
    return undefined;
  }
}

/** Registers every hook of one run of `agent`, in order, in a new pipeline. */
export async function startRun(
  setup: RunSetup,
  agent: HookAgent,
  memory: AgentMemory,
): Promise<Run> {
  const { agentId, workDir } = agent;
  const on = (name: BuiltinHookName) => setup.builtins.has(name);
  const cache = await acquireCache(setup, agent, memory);
  const hooks = orderHooks({
    ...(on('policy') && { policy: policyHook({ permissions: setup.permissions }) }),
    commands: setup.commands,
    ...(on('redaction') && { redaction: redactionHook(setup.redactor) }),
    ...(on('persona') &&
      memory.selection !== undefined && { persona: personaHook(memory.selection) }),
    ...(cache !== undefined && { cache: cache.hook }),
    ...(on('clearing') &&
      memory.clearing !== undefined && {
        clearing: clearingHook({
          clearing: memory.clearing,
          ledger: memory.ledger,
          onCleared: (clearing) => setup.emit(agentId, { type: 'context.cleared', clearing }),
        }),
      }),
    ...(on('audit') && {
      audit: auditHook({
        sink: (record) => setup.emit(agentId, { type: 'audit', record }),
        redact: (text) => setup.redactor.redact(text),
      }),
    }),
  });
  const pipeline = new HookPipeline({
    session: {
      agentId,
      cwd: workDir,
      transcriptPath: setup.transcriptPath?.(agentId) ?? '',
      ...(agent.shellDialect !== undefined && { shellDialect: agent.shellDialect }),
    },
    hooks,
    onFailure: (failure) => setup.onFailure(agentId, failure),
  });
  return { pipeline, cacheDir: cache?.dir, calls: new Map() };
}

/** Ends a run: kills its running command hooks and lets go of its token cache. */
export async function disposeRun(run: Run, caches: CacheProvider | undefined): Promise<void> {
  try {
    await run.pipeline.dispose();
  } finally {
    if (run.cacheDir !== undefined) await caches?.release(run.cacheDir);
  }
}
