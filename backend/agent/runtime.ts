/**
 * Assembles the agent runtime for the app: the database, the Anthropic
 * client, agent terminals on the PTY manager, and the manager itself.
 */
import type { BackendConfig } from '../config.ts';
import { databasePath, openTroikaDatabase } from '../persistence/database.ts';
import { createAgentStore } from '../persistence/store.ts';
import type { EventMap } from '../protocol/index.ts';
import type { PtyManager } from '../pty/pty-manager.ts';
import type { EventBus } from '../server/events.ts';
import { AgentManager } from './agent-manager.ts';
import { readAgentRuntimeConfig } from './config.ts';
import type { AgentHook } from './pipeline.ts';
import { createAnthropicClient } from './provider/client.ts';
import { ptyAgentTerminalHost } from './pty-host.ts';

export interface AgentRuntime {
  readonly agents: AgentManager;
  dispose(): Promise<void>;
}

export function createAgentRuntime(options: {
  config: BackendConfig;
  terminals: PtyManager;
  events: EventBus;
  hooks?: readonly AgentHook[];
  env?: NodeJS.ProcessEnv;
}): AgentRuntime {
  const { config } = options;
  const runtime = readAgentRuntimeConfig(options.env);
  const db = openTroikaDatabase(databasePath(config.dataDir));
  const agents = new AgentManager({
    store: createAgentStore(db),
    createClient:
      config.apiKey === undefined ? undefined : (onRetry) => createAnthropicClient({ apiKey: config.apiKey, baseURL: config.baseURL, onRetry }),
    terminals: ptyAgentTerminalHost(options.terminals),
    dataDir: config.dataDir,
    // AgentEvents is a part of EventMap; TypeScript cannot see that through the generic.
    publish: (event, data) => options.events.publish(event, data as EventMap[typeof event]),
    hooks: options.hooks ?? [],
    defaultBudgetUsd: runtime.defaultBudgetUsd,
    globalBudgetUsd: runtime.globalBudgetUsd,
    shell: { sourceUserRc: runtime.sourceUserRc },
  });
  return {
    agents,
    async dispose() {
      await agents.dispose();
      db.close();
    },
  };
}
