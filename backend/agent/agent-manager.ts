/**
 * `agent/` owns the agent runtime: the Claude tool loop (agent.ts, step-
 * loop.ts, tool-runner.ts), live agents and their control (this file), stored
 * runs and resume, worktrees, budgets, context, changes, and the protocol
 * handlers for them.
 *
 * Owns the live agents: starts at most {@link MAX_AGENTS} at once and routes
 * control calls (pause, resume, steer, approve, answer, stop) to them. Stored
 * runs (history, past transcripts, runs a restart cut off) are in
 * stored-runs.ts; building an agent, new or resumed, is in agent-builder.ts.
 */
import { randomUUID } from 'node:crypto';
import type { HookRunner } from '../hooks/runner.ts';
import { TroikaHooks } from '../hooks/troika-hooks.ts';
import type { AgentRecord } from '../persistence/agents-repository.ts';
import type { AgentStore } from '../persistence/store.ts';
import type { AgentDetail, AgentSummary } from '../protocol/agent.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import { DEFAULT_MODEL } from '../provider/models.ts';
import { MAX_AGENTS } from '../system/constants.ts';
import { AgentBuilder, loggingEmit, type CreateClient } from './agent-builder.ts';
import type { AgentLimits, EmitAgentEvent } from './agent-deps.ts';
import type { Agent } from './agent.ts';
import { BudgetGuard } from './budget.ts';
import { DEFAULT_AGENT_LIMITS } from './config.ts';
import { AgentControlError } from './control.ts';
import { toHookReport, type HookReport } from './hook-reports.ts';
import { DEFAULT_HISTORY_LIMIT, StoredRuns } from './stored-runs.ts';
import { requireFreeSlot } from './slots.ts';
import { slotHolders } from '../protocol/slots.ts';
import type { AgentTerminalHost } from './terminal.ts';
import type { ShellSettings } from './terminal-session.ts';
import type { ToolTiming } from './tool-call.ts';
import type { ToolRegistry } from './tools/registry.ts';
import {
  prepareWorkspace,
  releaseWorkspace,
  restoreWorkspace,
  WorkspaceError,
  type AgentWorkspace,
  type WorktreeSetup,
} from './workspace.ts';

export { INTERRUPTED_REASON } from './stored-runs.ts';
export const SHUTDOWN_REASON = 'Troika shut down while this agent was running. Resume to continue.';

export interface AgentManagerOptions {
  store: AgentStore;
  /**
   * Makes one agent's client; `onRetry` hears the HTTP errors the SDK is about
   * to retry. Undefined when no API key is configured: starting an agent then says so.
   */
  createClient: CreateClient | undefined;
  terminals: AgentTerminalHost;
  /** Troika's data folder: worktrees and shell files go under it. */
  dataDir: string;
  /** Where agent events go (the event bus); they are also appended to the database. */
  publish: EmitAgentEvent;
  /**
   * The hook pipeline every model request and tool call passes (see
   * agent-hooks.ts for the app's). Default: the approval policy alone.
   */
  hooks?: HookRunner;
  /** Hears each tool call's time in hooks and in the tool (the token benchmark). */
  onToolTiming?: (agentId: string, timing: ToolTiming) => void;
  limits?: Partial<AgentLimits>;
  maxAgents?: number;
  defaultBudgetUsd?: number | null;
  globalBudgetUsd?: number | null;
  shell?: Partial<Omit<ShellSettings, 'stateDir'>>;
  /** The user's home folder, for `~/.claude/CLAUDE.md`; omitted: not read (tests). */
  homeDir?: string;
  now?: () => number;
  /** The repository's setup of a new worktree (copy `.env`, a command): see backend/landing/setup.ts. */
  worktreeSetup?: WorktreeSetup;
}

export interface StartAgentParams {
  task: string;
  workspace: string;
  model?: string | undefined;
  budgetUsd?: number | undefined;
  persona?: string | undefined;
  /** The branch to start from (its tip); default the checked-out one. */
  baseBranch?: string | undefined;
  /** The agent's tools instead of the usual set (the planner's read-only ones and its submit tool). */
  tools?: ToolRegistry | undefined;
  /** Works in the folder itself, no worktree: only for an agent whose tools cannot write. */
  inPlace?: boolean | undefined;
  /**
   * Started by a plan: the agent is the plan's subagent, so its end runs the
   * SubagentStop hooks instead of Stop (as Claude Code does for a subagent).
   * Not stored: an agent resumed after a restart runs Stop.
   */
  subagent?: boolean | undefined;
  /**
   * Runs in that agent's slot instead of taking one: a plan's planner
   * answering a builder that waits for it (the builder is blocked, so the
   * two count as one). Only while that agent holds a slot; otherwise the
   * new agent takes a slot of its own like any other.
   */
  slotOf?: string | undefined;
}

export class AgentManager {
  readonly #options: AgentManagerOptions;
  readonly #agents = new Map<string, Agent>();
  /** Worktree branches whose start is still being written to git config (awaited at shutdown). */
  readonly #recording = new Set<Promise<unknown>>();
  readonly #now: () => number;
  readonly #stored: StoredRuns;
  readonly #builder: AgentBuilder;
  readonly #emit: EmitAgentEvent;
  /** The policy-only pipeline made when none was given: this manager disposes it. */
  readonly #ownHooks: TroikaHooks | undefined;
  #starting = 0;
  #disposed = false;
  readonly #toolsFor: Array<(record: AgentRecord) => ToolRegistry | undefined> = [];

  constructor(options: AgentManagerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#emit = loggingEmit(options.store, options.publish, this.#now);
    this.#stored = new StoredRuns(options.store, this.#now);
    let hooks = options.hooks;
    if (hooks === undefined) {
      this.#ownHooks = new TroikaHooks({
        builtins: ['policy'],
        onEvent: (agentId, event) => this.hookReport(agentId, toHookReport(event)),
      });
      hooks = this.#ownHooks;
    }
    this.#builder = new AgentBuilder({
      store: options.store,
      terminals: options.terminals,
      dataDir: options.dataDir,
      hooks,
      budget: new BudgetGuard(options.store.usage, options.globalBudgetUsd ?? null, this.#now()),
      limits: { ...DEFAULT_AGENT_LIMITS, ...options.limits },
      shell: options.shell,
      emit: this.#emit,
      now: this.#now,
      onToolTiming:
        options.onToolTiming && ((agentId, timing) => options.onToolTiming?.(agentId, timing)),
      homeDir: options.homeDir,
    });
    this.#stored.markInterrupted();
  }

  /**
   * Says which tools a stored run gets when it runs again after a restart, for
   * agents started with their own (the planner's read-only set); undefined: the usual.
   * Several may be given (one per kind of such agent): the first that answers wins.
   */
  restoreToolsWith(toolsFor: (record: AgentRecord) => ToolRegistry | undefined): void {
    this.#toolsFor.push(toolsFor);
  }

  get maxAgents(): number {
    return this.#options.maxAgents ?? MAX_AGENTS;
  }

  /** Agents whose run holds a slot right now. */
  get activeCount(): number {
    return this.#slotHolders().length + this.#starting;
  }

  async start(params: StartAgentParams): Promise<AgentSummary> {
    const createClient = this.#requireClient();
    const lender =
      params.slotOf !== undefined && this.#agents.get(params.slotOf)?.active === true
        ? params.slotOf
        : undefined;
    if (lender === undefined) this.#reserveSlot();
    try {
      const id = randomUUID();
      let workspace: AgentWorkspace;
      try {
        workspace = await prepareWorkspace(params.workspace, id, this.#builder.worktreesDir, {
          task: params.task,
          setup: this.#options.worktreeSetup,
          baseBranch: params.baseBranch,
          inPlace: params.inPlace,
          // The agent's first request need not wait for `git config` to record where its branch began.
          recordInBackground: true,
        });
        if (workspace.baseRecorded) {
          const recorded = workspace.baseRecorded;
          this.#recording.add(recorded);
          void recorded.finally(() => this.#recording.delete(recorded));
        }
      } catch (error) {
        if (error instanceof WorkspaceError)
          throw new ProtocolError('invalid_params', error.message);
        throw error;
      }
      const now = this.#now();
      const record: AgentRecord = {
        id,
        task: params.task,
        model: params.model ?? DEFAULT_MODEL,
        workspace: workspace.folder,
        workDir: workspace.workDir,
        branch: workspace.branch,
        persona: params.persona ?? null,
        budgetUsd: params.budgetUsd ?? this.#options.defaultBudgetUsd ?? null,
        state: 'idle',
        stateReason: null,
        createdAt: now,
        updatedAt: now,
      };
      this.#options.store.agents.insert(record);
      const agent = this.#builder.build(
        record,
        workspace,
        createClient,
        params.tools,
        params.subagent === true,
        lender,
      );
      this.#agents.set(id, agent);
      // A failed setup is the agent's to know too: its commands may fail for that reason.
      agent.begin(
        workspace.setupError ? `${params.task}\n\n[Troika] ${workspace.setupError}` : params.task,
      );
      return agent.summary();
    } finally {
      if (lender === undefined) this.#starting--;
    }
  }

  /** Agents of this session, newest first. */
  list(): AgentSummary[] {
    return [...this.#agents.values()]
      .map((a) => a.summary())
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): AgentDetail {
    const live = this.#agents.get(id);
    if (live) return { ...live.summary(), transcript: live.transcript() };
    return this.#stored.detail(id);
  }

  /** Every stored run, newest first; live agents with their live summary. */
  history(limit = DEFAULT_HISTORY_LIMIT): AgentSummary[] {
    return this.#stored.history(limit, (id) => this.#agents.get(id)?.summary());
  }

  pause(id: string, interrupt: boolean): AgentSummary {
    return this.#control(id, (agent) => agent.pause(interrupt));
  }

  async resume(id: string, budgetUsd?: number): Promise<AgentSummary> {
    const agent = await this.#loaded(id);
    if (!agent.active) await this.#prepareRun(agent);
    return this.#control(id, (a) => a.resume(budgetUsd));
  }

  async stop(id: string): Promise<AgentSummary> {
    const agent = this.#agents.get(id);
    if (!agent) return this.#stored.stop(id);
    await agent.stop();
    return agent.summary();
  }

  async steer(id: string, text: string): Promise<AgentSummary> {
    const agent = await this.#loaded(id);
    if (!agent.active) await this.#prepareRun(agent);
    return this.#control(id, (a) => a.steer(text));
  }

  approve(id: string, toolUseId: string): AgentSummary {
    return this.#control(id, (agent) => agent.approve(toolUseId));
  }

  deny(id: string, toolUseId: string, reason?: string): AgentSummary {
    return this.#control(id, (agent) => agent.deny(toolUseId, reason));
  }

  answer(id: string, text: string): AgentSummary {
    return this.#control(id, (agent) => agent.answer(text));
  }

  /**
   * What the hooks report about an agent (see hook-reports.ts). A live agent
   * announces it and keeps it for its summary; otherwise it goes to the
   * stored run.
   */
  hookReport(agentId: string, report: HookReport): void {
    const agent = this.#agents.get(agentId);
    if (agent) agent.hookReport(report);
    else this.#stored.hookReport(agentId, report, this.#emit);
  }

  /** Stops every run (they stay resumable), closes their terminals, and removes worktrees that hold no uncommitted work. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const agents = [...this.#agents.values()];
    await Promise.all(agents.map((agent) => agent.dispose(SHUTDOWN_REASON)));
    for (const agent of agents) {
      if (agent.state === 'done') await releaseWorkspace(agent.workspace).catch(() => false);
    }
    this.#agents.clear();
    await Promise.all([...this.#recording]);
    await this.#ownHooks?.dispose();
    this.#options.store.events.flush();
  }

  #requireClient(): CreateClient {
    if (this.#disposed) throw new ProtocolError('failed', 'The agent runtime is shut down');
    if (!this.#options.createClient)
      throw new ProtocolError(
        'failed',
        'No API key is configured: set ANTHROPIC_API_KEY and restart Troika.',
      );
    return this.#options.createClient;
  }

  /** Active agents, less those running in the slot of another active one (protocol/slots.ts). */
  #slotHolders(): AgentSummary[] {
    const live = [...this.#agents.values()].map((agent) => ({
      id: agent.id,
      slotOf: agent.slotOf,
      agent,
    }));
    return slotHolders(live, (x) => x.agent.active).map((x) => x.agent.summary());
  }

  #reserveSlot(): void {
    const holders = this.#slotHolders();
    requireFreeSlot(this.maxAgents, holders, this.#starting);
    this.#starting++;
  }

  /** Before a stored or finished agent runs again: a free slot, a client, its worktree. */
  async #prepareRun(agent: Agent): Promise<void> {
    this.#requireClient();
    this.#reserveSlot();
    try {
      await restoreWorkspace(agent.workspace);
    } catch (error) {
      if (error instanceof WorkspaceError) throw new ProtocolError('failed', error.message);
      throw error;
    } finally {
      this.#starting--;
    }
  }

  #control(id: string, action: (agent: Agent) => void): AgentSummary {
    const agent = this.#agents.get(id);
    if (!agent) {
      this.#stored.record(id);
      throw new ProtocolError(
        'conflict',
        `Agent ${id} is not running in this session; resume it first`,
      );
    }
    try {
      action(agent);
    } catch (error) {
      if (error instanceof AgentControlError) throw new ProtocolError(error.code, error.message);
      throw error;
    }
    return agent.summary();
  }

  /** The live agent, or one rebuilt from its stored run. */
  async #loaded(id: string): Promise<Agent> {
    const live = this.#agents.get(id);
    if (live) return live;
    const record = this.#stored.record(id);
    const agent = await this.#builder.resumed(
      record,
      this.#requireClient(),
      this.#toolsFor.map((toolsFor) => toolsFor(record)).find((t) => t !== undefined),
    );
    this.#agents.set(id, agent);
    return agent;
  }
}
