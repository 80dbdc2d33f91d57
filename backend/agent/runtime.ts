/**
 * Assembles the agent runtime for the app: the database, the model
 * providers and routing, agent terminals on the PTY manager, Troika's hook pipeline (policy,
 * the user's command hooks, redaction, personas, token cache, audit), and
 * the manager itself.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BackendConfig } from '../config.ts';
import { databasePath, openTroikaDatabase } from '../persistence/database.ts';
import { createAgentStore } from '../persistence/store.ts';
import type { EventMap } from '../protocol/index.ts';
import type { PtyManager } from '../pty/pty-manager.ts';
import type { Redactor } from '../redaction/redact.ts';
import type { EventBus } from '../bus/events.ts';
import { TranscriptFiles } from '../hooks/transcript-file.ts';
import { AgentManager } from './agent-manager.ts';
import { createAgentHooks, type AgentHooksOptions } from './agent-hooks.ts';
import { readAgentRuntimeConfig } from './config.ts';
import type { AliasTable } from '../protocol/routing.ts';
import { createModelRouter } from '../provider/providers.ts';
import { effectiveAliasTable } from '../provider/routing.ts';
import { ptyAgentTerminalHost } from './pty-host.ts';
import { snapshotFor } from './terminal-session.ts';
import type { WorktreeSetup } from './workspace.ts';

/** Where snapshots of the user's shell rc files go, in the data folder (see shell-snapshot.ts). */
const SHELL_SNAPSHOTS_DIR = 'shell-snapshots';

/** Folder under the data folder for the agents' Claude Code transcript files. */
export const TRANSCRIPTS_DIR_NAME = 'transcripts';

export interface AgentRuntime {
  readonly agents: AgentManager;
  /** The user pins a persona (or none) on a live agent: announced and logged as a persona change. */
  pinPersona(agentId: string, name: string | null): Promise<void>;
  dispose(): Promise<void>;
}

export interface ModelRoutingSettings {
  openaiBaseURL(): string | undefined;
  aliases(): AliasTable;
}

const NO_ROUTING: ModelRoutingSettings = {
  openaiBaseURL: () => undefined,
  aliases: () => effectiveAliasTable(null, undefined),
};

export function createAgentRuntime(options: {
  config: BackendConfig;
  terminals: PtyManager;
  events: EventBus;
  /** The process's redactor, shared with the terminal recording (see `agent-hooks.ts`). */
  redactor?: Redactor;
  /** Budgets, `TROIKA_HOOKS_FILE`, `TROIKA_PERSONAS_DIR`; what command hooks inherit. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The hooks file the user chose in the settings; else the environment, else `<dataDir>/hooks.json` or `<dataDir>/settings.json`. */
  hooksFile?: string | undefined;
  /** The persona folder the user chose in the settings; else `TROIKA_PERSONAS_DIR`, else `<dataDir>/personas`. */
  personasDir?: string | undefined;
  /** The repository's setup of each new agent worktree. */
  worktreeSetup?: WorktreeSetup;
  /** The token economy switches the settings set, globally and per agent (see `agent-hooks.ts`). */
  economy?: AgentHooksOptions['economy'];
  /** The OpenAI-compatible server and the alias chains, read when an agent's client is made and on every turn (the settings). Default: none, built-in chains. */
  routing?: ModelRoutingSettings;
}): AgentRuntime {
  const { config } = options;
  const env = options.env ?? process.env;
  const runtime = readAgentRuntimeConfig(env);
  const homeDir = env['HOME'] || env['USERPROFILE'] || homedir();
  const routing = options.routing ?? NO_ROUTING;
  const db = openTroikaDatabase(databasePath(config.dataDir));
  const shell = {
    sourceUserRc: runtime.sourceUserRc,
    ...(runtime.shellSnapshot && { snapshotDir: join(config.dataDir, SHELL_SNAPSHOTS_DIR) }),
  };
  // Taken now, in the background: the first agent's shell need not wait for the user's rc.
  void snapshotFor(shell);
  const store = createAgentStore(db);
  // Each agent's conversation as a Claude Code transcript file, for hooks' `transcript_path`.
  const transcripts = new TranscriptFiles({
    dir: join(config.dataDir, TRANSCRIPTS_DIR_NAME),
    rows: (agentId) => store.transcript.list(agentId),
    meta: (agentId) => {
      const record = store.agents.get(agentId);
      return record && { cwd: record.workDir, gitBranch: record.branch, model: record.model };
    },
    onError: (agentId, error) =>
      console.error(`[troika] transcript file for agent ${agentId}: ${error.message}`),
  });
  const stopMirroring = store.transcript.observe((agentId, row) => transcripts.put(agentId, row));
  const hooks = createAgentHooks({
    dataDir: config.dataDir,
    apiKey: config.apiKey,
    ...(options.redactor !== undefined && { redactor: options.redactor }),
    env,
    hooksFile: options.hooksFile,
    personasDir: options.personasDir,
    transcriptPath: (agentId) => transcripts.path(agentId),
    homeDir,
    ...(options.economy !== undefined && { economy: options.economy }),
    // Reports come from agents' hook calls, so never before the manager exists.
    report: (agentId, report) => agents.hookReport(agentId, report),
  });
  const agents = new AgentManager({
    store,
    // Either provider will do: an agent on a model no configured provider serves fails with a message naming what to set.
    createClient:
      config.apiKey === undefined && routing.openaiBaseURL() === undefined
        ? undefined
        : (onRetry) =>
            createModelRouter(
              {
                anthropic: { apiKey: config.apiKey, baseURL: config.baseURL },
                openai: { apiKey: config.openaiApiKey, baseURL: routing.openaiBaseURL() },
                aliases: () => routing.aliases(),
              },
              onRetry,
            ),
    terminals: ptyAgentTerminalHost(options.terminals),
    dataDir: config.dataDir,
    // AgentEvents is a part of EventMap; TypeScript cannot see that through the generic.
    publish: (event, data) => options.events.publish(event, data as EventMap[typeof event]),
    // The policy is one of the pipeline's built-ins, in its place in the hook order, audited like every hook.
    hooks: hooks.runner,
    defaultBudgetUsd: runtime.defaultBudgetUsd,
    globalBudgetUsd: runtime.globalBudgetUsd,
    shell,
    ...(options.worktreeSetup && { worktreeSetup: options.worktreeSetup }),
    homeDir,
  });
  return {
    agents,
    pinPersona: (agentId, name) => hooks.pinPersona(agentId, name),
    async dispose() {
      await agents.dispose();
      await hooks.dispose();
      stopMirroring();
      store.events.flush();
      db.close();
    },
  };
}
