/**
 * One run of the benchmark's plan (plan-script.ts) through the product's
 * own path: the composed backend (createBackend: agents in PTYs, hooks,
 * model routing with its fallback chain, landing's gates), its own plan
 * runs (real ports, question relay, live overlap watch) on a real git
 * repository in a temporary folder, the Messages and OpenAI-compatible test
 * servers playing the script. Returns what the run recorded: its wall time,
 * the plan's evidence and progress, the responses served, the tool calls'
 * times, and what each server was asked.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBackend } from '../../app.ts';
import { databasePath, openTroikaDatabase } from '../../persistence/database.ts';
import { effectiveAliasTable } from '../../provider/routing.ts';
import {
  startMessagesServer,
  type RecordedRequest as MessagesRecord,
} from '../../testing/messages-server/index.ts';
import {
  startOpenAIServer,
  type RecordedRequest as ChatRecord,
} from '../../testing/openai-server/index.ts';
import { createPlan } from '../new-plan.ts';
import type { Evidence, TaskProgress } from '../plan-store.ts';
import { PlanStore } from '../plan-store.ts';
import { gatedRepo } from '../testing/fixtures.ts';
import {
  CODER_CHAIN,
  gateCheck,
  OPENAI_MODEL,
  PlanScript,
  planTasks,
  type Served,
} from './plan-script.ts';

export interface RunOptions {
  /** Tasks at once: 1 or 3. */
  slots: number;
  /** Each model response's delay. */
  responseMs: number;
  /** How long the gate's check takes. */
  gateMs: number;
}

/** A tool call's time, from its `tool_call` transcript entry to its `tool_result`. */
export interface ToolSpan {
  agentId: string;
  name: string;
  start: number;
  end: number;
  /** Of it, the wait for the agent's shell to come up: overhead, not tool time. */
  shellWaitMs: number;
}

/** An agent's state change (`running`: its worktree is ready and its run starts). */
export interface AgentMark {
  agentId: string;
  state: string;
  at: number;
}

export interface PlanRun {
  slots: number;
  state: string;
  wallMs: number;
  evidence: Evidence[];
  progress: TaskProgress[];
  served: Served[];
  tools: ToolSpan[];
  agentStates: AgentMark[];
  messageRequests: readonly MessagesRecord[];
  chatRequests: readonly ChatRecord[];
}

export async function runPlan(options: RunOptions): Promise<PlanRun> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-plan-bench-')));
  const repo = join(dir, 'repo');
  const dataDir = join(dir, 'data');
  gatedRepo(repo, gateCheck(options.gateMs));
  const script = new PlanScript(options.responseMs);
  const messages = await startMessagesServer({ script: script.messages });
  const openai = await startOpenAIServer({ handler: script.chat });
  const backend = await createBackend({
    config: {
      dataDir,
      apiKey: messages.apiKey,
      baseURL: messages.url,
      openaiApiKey: openai.apiKey,
    },
    host: 'web',
    planSlots: options.slots,
  });
  // The second provider as a user configures it in Settings, and the coder alias's fallback chain.
  backend.settings.update({
    openaiBaseURL: openai.url,
    openaiModels: [OPENAI_MODEL],
    modelAliases: { ...effectiveAliasTable(null, OPENAI_MODEL), coder: CODER_CHAIN },
  });
  const db = openTroikaDatabase(databasePath(dataDir));
  const store = new PlanStore(db);
  // The backend's own plan runs, as `plans.start` reaches them.
  const runs = backend.plans;
  const tools: ToolSpan[] = [];
  const calls = new Map<string, { agentId: string; name: string; start: number }>();
  const agentStates: AgentMark[] = [];
  const off = backend.events.subscribe((event, data) => {
    if (event === 'agent.state') {
      const { agentId, state } = data as { agentId: string; state: string };
      agentStates.push({ agentId, state, at: Date.now() });
    }
    if (event !== 'agent.transcript') return;
    const { agentId, entry } = data as {
      agentId: string;
      entry: { kind: string; toolUseId?: string; name?: string; shellWaitMs?: number };
    };
    if (entry.kind === 'tool_call' && entry.toolUseId)
      calls.set(entry.toolUseId, { agentId, name: entry.name ?? '', start: Date.now() });
    if (entry.kind === 'tool_result' && entry.toolUseId) {
      const call = calls.get(entry.toolUseId);
      if (call) tools.push({ ...call, end: Date.now(), shellWaitMs: entry.shellWaitMs ?? 0 });
    }
  });
  try {
    const plan = createPlan(store, {
      name: `Bench ${options.slots}`,
      workspace: repo,
      tasks: planTasks(),
      model: 'coder',
    });
    const started = performance.now();
    await runs.start(plan.id);
    const state = await runs.settled(plan.id);
    const wallMs = performance.now() - started;
    return {
      slots: options.slots,
      state,
      wallMs,
      evidence: store.evidence(plan.id),
      progress: store.progress(plan.id),
      served: script.served,
      tools,
      agentStates,
      messageRequests: [...messages.messageRequests],
      chatRequests: [...openai.chatRequests],
    };
  } finally {
    off();
    await backend.dispose();
    db.close();
    await messages.close();
    await openai.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
