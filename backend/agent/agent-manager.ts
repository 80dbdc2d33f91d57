/**
 * Owns the agents: starts at most {@link MAX_AGENTS} at once, routes control
 * calls to them, persists what they do, lists past runs, and after a restart
 * marks runs that were cut off so they can be resumed from their transcript.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ModelClient } from '../provider/router.ts';
import type { AgentRecord } from '../persistence/agents-repository.ts';
import type { AgentStore } from '../persistence/store.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import type { AgentDetail, AgentEvents, AgentSummary } from '../protocol/agent.ts';
import { MAX_AGENTS } from '../system/constants.ts';
import type { AgentLimits, EmitAgentEvent } from './agent-deps.ts';
import { Agent } from './agent.ts';
import { BudgetGuard } from './budget.ts';
import { AgentControlError } from './control.ts';
import { DEFAULT_AGENT_LIMITS } from './config.ts';
import { AgentPipeline, type AgentHook } from './pipeline.ts';
import { policyHook } from './policy/index.ts';
import { DEFAULT_MODEL } from '../provider/models.ts';
import { describeRetry, type RetryNotice } from '../provider/retry-notice-fetch.ts';
import { AgentInsights, storedInsights } from './agent-insights.ts';
import { applyHookReport, AUDIT_EVENT_TYPE, type HookReport } from './hook-reports.ts';
import { ACTIVE_STATES, buildSummary } from './summary.ts';
import type { ToolTiming } from './tool-call.ts';
import type { AgentTerminalHost } from './terminal.ts';
import type { ShellSettings } from './terminal-session.ts';
import { defaultTools } from './tools/registry.ts';
import {
  describeWorkspace,
  prepareWorkspace,
  releaseWorkspace,
  restoreWorkspace,
  WorkspaceError,
  type AgentWorkspace,
} from './workspace.ts';

/** Past runs listed when the caller gives no limit. */
const DEFAULT_HISTORY_LIMIT = 100;

export const INTERRUPTED_REASON =
  'Interrupted: Troika stopped while this agent was running. Resume to continue from its transcript.';
export const SHUTDOWN_REASON = 'Troika shut down while this agent was running. Resume to continue.';

export interface AgentManagerOptions {
  store: AgentStore;
  /**
   * Makes one agent's client; `onRetry` hears the HTTP errors the SDK is about
   * to retry. Undefined when no API key is configured: starting an agent then says so.
   */
  createClient: ((onRetry: (notice: RetryNotice) => void) => ModelClient) | undefined;
  terminals: AgentTerminalHost;
  /** Troika's data folder: worktrees and shell files go under it. */
  dataDir: string;
  /** Where agent events go (the event bus); they are also appended to the database. */
  publish: EmitAgentEvent;
  /** Hooks after the built-in policy: Troika's hook pipeline (see agent-hooks.ts). */
  hooks?: readonly AgentHook[];
  /** The built-in policy hook, run first; `null` when `hooks` run it themselves. Default {@link policyHook}. */
  policy?: AgentHook | null;
  /** Hears each tool call's time in hooks and in the tool (the token benchmark). */
  onToolTiming?: (agentId: string, timing: ToolTiming) => void;
  limits?: Partial<AgentLimits>;
  maxAgents?: number;
  defaultBudgetUsd?: number | null;
  globalBudgetUsd?: number | null;
  shell?: Partial<Omit<ShellSettings, 'stateDir'>>;
  now?: () => number;
}

export interface StartAgentParams {
  task: string;
  workspace: string;
  model?: string | undefined;
  budgetUsd?: number | undefined;
  persona?: string | undefined;
}

export class AgentManager {
  readonly #options: AgentManagerOptions;
  readonly #agents = new Map<string, Agent>();
  readonly #budget: BudgetGuard;
  readonly #limits: AgentLimits;
  readonly #now: () => number;
  #starting = 0;
  #disposed = false;

  constructor(options: AgentManagerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#limits = { ...DEFAULT_AGENT_LIMITS, ...options.limits };
    this.#budget = new BudgetGuard(
      options.store.usage,
      options.globalBudgetUsd ?? null,
      this.#now(),
    );
    this.#markInterruptedRuns();
  }

  get maxAgents(): number {
    return this.#options.maxAgents ?? MAX_AGENTS;
  }

  /** Agents whose run holds a slot right now. */
  get activeCount(): number {
    return [...this.#agents.values()].filter((a) => a.active).length + this.#starting;
  }

  async start(params: StartAgentParams): Promise<AgentSummary> {
    const createClient = this.#requireClient();
    this.#reserveSlot();
    try {
      const id = randomUUID();
      let workspace: AgentWorkspace;
      try {
        workspace = await prepareWorkspace(params.workspace, id, this.#worktreesDir);
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
      const agent = this.#create(record, workspace, createClient);
      agent.begin(params.task);
      return agent.summary();
    } finally {
      this.#starting--;
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
    const record = this.#record(id);
    const transcript = this.#options.store.transcript.list(id).map((row) => ({
      ...row,
      content: row.content as AgentDetail['transcript'][number]['content'],
    }));
    return { ...this.#storedSummary(record), transcript };
  }

  /** Every stored run, newest first; live agents with their live summary. */
  history(limit = DEFAULT_HISTORY_LIMIT): AgentSummary[] {
    return this.#options.store.agents
      .list(limit)
      .map((record) => this.#agents.get(record.id)?.summary() ?? this.#storedSummary(record));
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
    if (agent) {
      await agent.stop();
      return agent.summary();
    }
    const record = this.#record(id);
    // A run cut off by a crash: stopping it only records the decision.
    if (record.state === 'idle')
      this.#options.store.agents.updateState(id, 'stopped', 'Stopped by the user', this.#now());
    return this.#storedSummary(this.#record(id));
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
   * announces it and keeps it for its summary; otherwise it is logged (and
   * announced, audit records excepted) for the stored run.
   */
  hookReport(agentId: string, report: HookReport): void {
    const agent = this.#agents.get(agentId);
    if (agent) {
      agent.hookReport(report);
      return;
    }
    if (!this.#options.store.agents.get(agentId)) return;
    if (report.type === 'audit') {
      this.#options.store.events.appendSoon(agentId, AUDIT_EVENT_TYPE, report.record, this.#now());
      return;
    }
    const insights = new AgentInsights(storedInsights(this.#options.store.events, agentId));
    applyHookReport(report, {
      agentId,
      insights,
      store: this.#options.store,
      emit: this.#emit,
      now: this.#now,
      publish: () => undefined,
    });
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
    this.#options.store.events.flush();
  }

  get #policy(): AgentHook[] {
    const policy = this.#options.policy === undefined ? policyHook() : this.#options.policy;
    return policy === null ? [] : [policy];
  }

  get #worktreesDir(): string {
    return join(this.#options.dataDir, 'worktrees');
  }

  #requireClient(): NonNullable<AgentManagerOptions['createClient']> {
    if (this.#disposed) throw new ProtocolError('failed', 'The agent runtime is shut down');
    if (!this.#options.createClient)
      throw new ProtocolError(
        'failed',
        'No API key is configured: set ANTHROPIC_API_KEY and restart Troika.',
      );
    return this.#options.createClient;
  }

  #reserveSlot(): void {
    if (this.activeCount >= this.maxAgents) {
      throw new ProtocolError(
        'limit_reached',
        `At most ${this.maxAgents} agents can run at once, and ${this.activeCount} are running. Stop or pause-and-stop one, or wait for one to finish.`,
      );
    }
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
      this.#record(id);
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

  #storedSummary(record: AgentRecord): AgentSummary {
    return buildSummary(
      record,
      this.#options.store.usage.totalsFor(record.id),
      undefined,
      storedInsights(this.#options.store.events, record.id),
    );
  }

  #record(id: string): AgentRecord {
    const record = this.#options.store.agents.get(id);
    if (!record) throw new ProtocolError('not_found', `No agent with id "${id}"`);
    return record;
  }

  /** The live agent, or one rebuilt from the database (a past run). */
  async #loaded(id: string): Promise<Agent> {
    const live = this.#agents.get(id);
    if (live) return live;
    const record = this.#record(id);
    const workspace = await describeWorkspace(record, this.#worktreesDir);
    const agent = this.#create(record, workspace, this.#requireClient());
    agent.repairAfterInterruption();
    return agent;
  }

  #create(
    record: AgentRecord,
    workspace: AgentWorkspace,
    createClient: NonNullable<AgentManagerOptions['createClient']>,
  ): Agent {
    const sdkRetries = this.#limits.sdkAttempts - 1;
    const client = createClient((notice) =>
      this.#emit('agent.error', {
        agentId: record.id,
        kind:
          notice.status === 429 ? 'rate_limited' : notice.status === 529 ? 'overloaded' : 'server',
        message: describeRetry(notice, sdkRetries),
        retrying: true,
        attempt: notice.attempt,
      }),
    );
    const agent = new Agent({
      record,
      workspace,
      store: this.#options.store,
      client,
      pipeline: new AgentPipeline([...this.#policy, ...(this.#options.hooks ?? [])]),
      tools: defaultTools(),
      terminals: this.#options.terminals,
      shell: {
        stateDir: join(this.#options.dataDir, 'agents', record.id, 'shell'),
        sourceUserRc: this.#options.shell?.sourceUserRc ?? true,
        shell: this.#options.shell?.shell,
        detectMs: this.#options.shell?.detectMs,
        graces: this.#options.shell?.graces,
      },
      budget: this.#budget,
      limits: this.#limits,
      emit: this.#emit,
      now: this.#now,
      onToolTiming:
        this.#options.onToolTiming && ((timing) => this.#options.onToolTiming?.(record.id, timing)),
    });
    this.#agents.set(record.id, agent);
    return agent;
  }

  /** Appends to the event log (all but text deltas, which the stored messages hold in full), then publishes. */
  readonly #emit: EmitAgentEvent = <E extends keyof AgentEvents>(
    event: E,
    data: AgentEvents[E],
  ) => {
    const agentId = data.agentId;
    if (event === 'agent.state') {
      const { state, reason } = data as AgentEvents['agent.state'];
      this.#options.store.events.appendSoon(agentId, event, { state, reason }, this.#now());
    } else if (!(
      event === 'agent.transcript' &&
      (data as AgentEvents['agent.transcript']).entry.kind === 'text_delta'
    )) {
      this.#options.store.events.appendSoon(agentId, event, data, this.#now());
    }
    this.#options.publish(event, data);
  };

  #markInterruptedRuns(): void {
    const now = this.#now();
    for (const record of this.#options.store.agents.listInStates([...ACTIVE_STATES])) {
      this.#options.store.agents.updateState(record.id, 'idle', INTERRUPTED_REASON, now);
      this.#options.store.events.append(
        record.id,
        'agent.state',
        { state: 'idle', reason: INTERRUPTED_REASON },
        now,
      );
    }
  }
}
