/**
 * Builds live agents: the parts an `Agent` is made of (its model client,
 * hook pipeline, tools, terminal, shell settings, budgets), for a new run or
 * for a stored one being resumed, and the event sink that logs what an agent
 * does before publishing it.
 */
import { join } from 'node:path';
import type { ModelClient } from '../provider/router.ts';
import type { HookRunner } from '../hooks/runner.ts';
import type { AgentRecord } from '../persistence/agents-repository.ts';
import type { AgentStore } from '../persistence/store.ts';
import type { AgentEvents } from '../protocol/agent.ts';
import { describeRetry, type RetryNotice } from '../provider/retry-notice-fetch.ts';
import type { AgentLimits, EmitAgentEvent } from './agent-deps.ts';
import { Agent } from './agent.ts';
import type { BudgetGuard } from './budget.ts';
import type { AgentTerminalHost } from './terminal.ts';
import type { ShellSettings } from './terminal-session.ts';
import type { ToolTiming } from './tool-call.ts';
import { instructionsTracker } from './instructions-tracker.ts';
import { defaultTools, type ToolRegistry } from './tools/registry.ts';
import { describeWorkspace, type AgentWorkspace } from './workspace.ts';

export type CreateClient = (onRetry: (notice: RetryNotice) => void) => ModelClient;

export interface AgentBuilderOptions {
  store: AgentStore;
  terminals: AgentTerminalHost;
  dataDir: string;
  hooks: HookRunner;
  budget: BudgetGuard;
  limits: AgentLimits;
  shell: Partial<Omit<ShellSettings, 'stateDir'>> | undefined;
  emit: EmitAgentEvent;
  now: () => number;
  onToolTiming: ((agentId: string, timing: ToolTiming) => void) | undefined;
  /** The user's home folder, for `~/.claude/CLAUDE.md`; omitted: not read (tests). */
  homeDir: string | undefined;
}

/** Appends to the event log (all but text deltas, which the stored messages hold in full), then publishes. */
export function loggingEmit(
  store: AgentStore,
  publish: EmitAgentEvent,
  now: () => number,
): EmitAgentEvent {
  return <E extends keyof AgentEvents>(event: E, data: AgentEvents[E]) => {
    const agentId = data.agentId;
    if (event === 'agent.state') {
      const { state, reason } = data as AgentEvents['agent.state'];
      store.events.appendSoon(agentId, event, { state, reason }, now());
    } else if (!(
      event === 'agent.transcript' &&
      (data as AgentEvents['agent.transcript']).entry.kind === 'text_delta'
    )) {
      store.events.appendSoon(agentId, event, data, now());
    }
    publish(event, data);
  };
}

export class AgentBuilder {
  readonly #options: AgentBuilderOptions;

  constructor(options: AgentBuilderOptions) {
    this.#options = options;
  }

  get worktreesDir(): string {
    return join(this.#options.dataDir, 'worktrees');
  }

  /** A stored run as a live agent again; tool calls a crash left open are answered first. */
  async resumed(
    record: AgentRecord,
    createClient: CreateClient,
    tools?: ToolRegistry,
  ): Promise<Agent> {
    const workspace = await describeWorkspace(record, this.worktreesDir);
    const agent = this.build(record, workspace, createClient, tools);
    agent.repairAfterInterruption();
    return agent;
  }

  build(
    record: AgentRecord,
    workspace: AgentWorkspace,
    createClient: CreateClient,
    tools: ToolRegistry = defaultTools(),
    subagent = false,
    slotOf?: string,
  ): Agent {
    const options = this.#options;
    const sdkRetries = options.limits.sdkAttempts - 1;
    const client = createClient((notice) =>
      options.emit('agent.error', {
        agentId: record.id,
        kind:
          notice.status === 429 ? 'rate_limited' : notice.status === 529 ? 'overloaded' : 'server',
        message: describeRetry(notice, sdkRetries),
        retrying: true,
        attempt: notice.attempt,
      }),
    );
    const onToolTiming = options.onToolTiming;
    return new Agent({
      record,
      workspace,
      store: options.store,
      client,
      pipeline: options.hooks,
      tools,
      terminals: options.terminals,
      shell: {
        stateDir: join(options.dataDir, 'agents', record.id, 'shell'),
        sourceUserRc: options.shell?.sourceUserRc ?? true,
        snapshotDir: options.shell?.snapshotDir,
        shell: options.shell?.shell,
        detectMs: options.shell?.detectMs,
        graces: options.shell?.graces,
      },
      budget: options.budget,
      limits: options.limits,
      emit: options.emit,
      now: options.now,
      instructions: instructionsTracker(workspace, options.homeDir, (report) =>
        options.emit('agent.instructions', { agentId: record.id, ...report }),
      ),
      onToolTiming: onToolTiming && ((timing) => onToolTiming(record.id, timing)),
      subagent,
      ...(slotOf !== undefined && { slotOf }),
    });
  }
}
