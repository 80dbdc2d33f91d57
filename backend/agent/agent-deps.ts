/**
 * What an agent is built from (its record, workspace, model client, hook
 * pipeline, tools, terminal and limits) and how it reports: the types the
 * agent's parts share, in a leaf module so those parts never import agent.ts.
 */
import type { HookRunner } from '../hooks/runner.ts';
import type { AgentRecord } from '../persistence/agents-repository.ts';
import type { AgentStore } from '../persistence/store.ts';
import type { ModelClient } from '../provider/router.ts';
import type { AgentEvents } from '../protocol/agent.ts';
import type { BudgetGuard } from './budget.ts';
import type { InstructionsTracker } from './instructions-tracker.ts';
import type { AgentTerminalHost } from './terminal.ts';
import type { ShellSettings } from './terminal-session.ts';
import type { ToolTiming } from './tool-call.ts';
import type { ToolRegistry } from './tools/registry.ts';
import type { AgentWorkspace } from './workspace.ts';

export type EmitAgentEvent = <E extends keyof AgentEvents>(event: E, data: AgentEvents[E]) => void;

export interface AgentLimits {
  maxTokens: number;
  commandTimeoutMs: number;
  maxOutputChars: number;
  /** Attempts at a turn whose stream broke off. */
  maxStreamAttempts: number;
  /** First retry delay; doubled each time. */
  retryBaseDelayMs: number;
  /** Attempts the SDK makes per request (for messages). */
  sdkAttempts: number;
  /** The model's context window in tokens, when not the one on file for the model (a proxy; tests). */
  contextWindowTokens?: number | undefined;
}

export interface AgentDeps {
  record: AgentRecord;
  workspace: AgentWorkspace;
  store: AgentStore;
  /** A model router (aliases, fallback chains), or a bare Anthropic client. */
  client: ModelClient;
  /** The hook pipeline every model request and tool call passes. */
  pipeline: HookRunner;
  tools: ToolRegistry;
  terminals: AgentTerminalHost;
  shell: ShellSettings;
  budget: BudgetGuard;
  limits: AgentLimits;
  emit: EmitAgentEvent;
  now: () => number;
  /** The workspace's CLAUDE.md / AGENTS.md files, re-read before each request; none when absent. */
  instructions?: InstructionsTracker | undefined;
  /** Hears how long each tool call spent in the hook pipeline and in the tool (the token benchmark). */
  onToolTiming?: ((timing: ToolTiming) => void) | undefined;
  /** Started by a plan (Claude Code's subagent): its end runs SubagentStop hooks instead of Stop. */
  subagent?: boolean | undefined;
  /** The agent whose slot it runs in (AgentManager's `slotOf`). */
  slotOf?: string | undefined;
}
