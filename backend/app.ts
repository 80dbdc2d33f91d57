/**
 * `backend/` owns the Node backend, in layers that import only downwards
 * (`LAYERS` in .dependency-cruiser.cjs); each folder's opening comment, in
 * the main file the README's folder map names, says what it owns. This file
 * composes it.
 *
 * Composes the backend: creates every service and registers its protocol
 * handlers. Both hosts (web mode, the Electron main process) call
 * {@link createBackend} and attach a transport to the result.
 *
 * Seam for later services (terminals, agents, cache): construct them here,
 * register their handlers on `router`, publish on `events`, dispose them in
 * `dispose()` in reverse order.
 */
import { mkdirSync } from 'node:fs';
import { registerChangesHandlers } from './agent/changes-handlers.ts';
import { readAgentRuntimeConfig } from './agent/config.ts';
import { registerPersonaHandlers } from './agent/persona-handlers.ts';
import { registerAgentHandlers } from './agent/handlers.ts';
import { registerHistoryHandlers } from './agent/history-handlers.ts';
import { ScrollbackRecorder } from './agent/scrollback.ts';
import { Redactor } from './redaction/redact.ts';
import { createAgentRuntime } from './agent/runtime.ts';
import type { AgentManager } from './agent/agent-manager.ts';
import type { BackendConfig } from './config.ts';
import { databasePath, openTroikaDatabase } from './persistence/database.ts';
import { registerPlanning } from './plans/draft-handlers.ts';
import { registerPlanHandlers } from './plans/handlers.ts';
import { PlanRuns } from './plans/plan-runs.ts';
import { PlanStore } from './plans/plan-store.ts';
import { agentWorktreeSetup } from './landing/agent-setup.ts';
import { registerLandingHandlers } from './landing/handlers.ts';
import { registerPtyHandlers } from './pty/handlers.ts';
import { registerSettingsHandlers } from './settings/handlers.ts';
import { SettingsStore, type ApiKeyWriter } from './settings/settings-store.ts';
import { PtyManager } from './pty/pty-manager.ts';
import type { ProtocolEndpoint } from './bus/endpoint.ts';
import { EventBus } from './bus/events.ts';
import { Router } from './bus/router.ts';
import { registerSystemHandlers, type HostServices } from './system/handlers.ts';
import { MAX_AGENTS, VERSION } from './system/constants.ts';

export interface BackendOptions {
  config: BackendConfig;
  host: 'electron' | 'web';
  /** Native services the host offers (the desktop app's folder picker). */
  hostServices?: HostServices;
  /** The desktop app's keychain key store; without it (web mode) the key comes only from the environment. */
  apiKeyWriter?: ApiKeyWriter;
  /** The OpenAI-compatible provider's key in the keychain (desktop app). */
  openaiKeyWriter?: ApiKeyWriter;
  /** How many of a plan's tasks run at once (default three, the agents' cap): the plan benchmark's one-agent run. */
  planSlots?: number;
}

export interface Backend extends ProtocolEndpoint {
  readonly config: BackendConfig;
  /** Terminal sessions; the agent runtime runs its commands in these too. */
  readonly terminals: PtyManager;
  /** The agents: Claude tool loops, each in its own terminal and workspace. */
  readonly agents: AgentManager;
  /** The user's settings (`<dataDir>/troika-settings.json`): hooks file and personas folder for the hook wiring. */
  readonly settings: SettingsStore;
  /** The plans this backend runs (`plans.start` and the rest of the plan protocol go to them). */
  readonly plans: PlanRuns;
  /** Agents running or waiting for the user: what a quit must ask about. */
  busyAgents(): number;
  /** Branches holding work not landed anywhere, one line each with where it is: what a quit should mention. */
  unlandedWork(): Promise<string[]>;
  dispose(): Promise<void>;
}

export async function createBackend(options: BackendOptions): Promise<Backend> {
  const { config, host } = options;
  mkdirSync(config.dataDir, { recursive: true });
  const router = new Router();
  const events = new EventBus();
  const disposers: Array<() => void | Promise<void>> = [];

  registerSystemHandlers(
    router,
    {
      host,
      version: VERSION,
      maxAgents: MAX_AGENTS,
      apiKeyConfigured: config.apiKey !== undefined,
    },
    options.hostServices,
  );

  const terminals = new PtyManager();
  const terminalHandlers = registerPtyHandlers(router, events, terminals);
  disposers.push(
    () => terminals.dispose(),
    () => terminalHandlers.dispose(),
  );

  const settings = new SettingsStore({
    dataDir: config.dataDir,
    envBaseURL: config.baseURL,
    runtimeBudgets: readAgentRuntimeConfig(),
    apiKeyConfigured: config.apiKey !== undefined,
    openaiKeyConfigured: config.openaiApiKey !== undefined,
    apiKeyStorage: host === 'electron' ? 'keychain' : 'environment',
    apiKeyWriter: options.apiKeyWriter,
    openaiKeyWriter: options.openaiKeyWriter,
    log: (message) => console.error(`[troika] ${message}`),
  });
  disposers.push(registerSettingsHandlers(router, events, settings));
  // The runtime reads `baseURL` whenever it makes an agent's client: a getter lets a changed setting reach new agents.
  const runtimeConfig: BackendConfig = {
    dataDir: config.dataDir,
    apiKey: config.apiKey,
    openaiApiKey: config.openaiApiKey,
    get baseURL() {
      return settings.baseURL;
    },
  };
  // One redactor for every output path: a secret value found in a tool result is hidden in the terminal recording too.
  const redactor = new Redactor();
  if (config.apiKey) redactor.addSecret(config.apiKey, 'anthropic-api-key');
  if (config.openaiApiKey) redactor.addSecret(config.openaiApiKey, 'openai-api-key');
  const agentEnv = settings.runtimeEnv(process.env);
  redactor.addSecretsFromEnv(agentEnv);
  const scrollback = new ScrollbackRecorder(events, config.dataDir, redactor);
  disposers.push(() => scrollback.dispose());

  // Disposed before the terminals (disposers run in reverse): agents stop their commands first.
  const agentRuntime = createAgentRuntime({
    config: runtimeConfig,
    terminals,
    events,
    redactor,
    env: agentEnv,
    hooksFile: settings.current.hooksFile ?? undefined,
    personasDir: settings.current.personasDir ?? undefined,
    worktreeSetup: agentWorktreeSetup(events),
    economy: {
      global: () => settings.globalEconomy(),
      agent: (agentId) => settings.agentEconomy(agentId),
    },
    routing: { openaiBaseURL: () => settings.openaiBaseURL, aliases: () => settings.aliasTable() },
  });
  registerAgentHandlers(router, agentRuntime.agents, () => settings.startDefaults());
  registerPersonaHandlers(router, agentRuntime.agents, agentRuntime.pinPersona);
  registerChangesHandlers(router, events, agentRuntime.agents, config.dataDir);
  registerHistoryHandlers(router, agentRuntime.agents, scrollback);
  // Plans keep their own connection to the database file (WAL allows it) until the runtime shares its own.
  const planDb = openTroikaDatabase(databasePath(config.dataDir));
  const planStore = new PlanStore(planDb);
  const planRuns = new PlanRuns({
    store: planStore,
    agents: agentRuntime.agents,
    events,
    dataDir: config.dataDir,
    ...(options.planSlots !== undefined && { maxParallel: options.planSlots }),
  });
  // The cleanup of earlier sessions' worktrees waits while a plan runs.
  const landing = registerLandingHandlers(
    router,
    events,
    agentRuntime.agents,
    config.dataDir,
    () => planRuns.running > 0,
  );
  disposers.push(
    () => agentRuntime.dispose(),
    () => landing.dispose(),
  );
  // Runs first (disposers run in reverse): on quit, say what work has not landed and where it is.
  disposers.push(async () => {
    const left = await landing.unlanded().catch(() => []);
    if (left.length > 0)
      console.error(
        `[troika] Work not landed yet (open Worktrees to merge or remove it):\n  ${left.join('\n  ')}`,
      );
  });
  registerPlanHandlers(router, events, planStore, {
    defaultModel: () => settings.startDefaults().model,
    runs: planRuns,
  });
  registerPlanning(router, events, {
    agents: agentRuntime.agents,
    store: planStore,
    dataDir: config.dataDir,
    defaultModel: () => settings.startDefaults().model,
  });
  disposers.push(() => {
    planDb.close();
  });
  // Runs before the database closes and before the agents are disposed (disposers run in reverse).
  disposers.push(() => planRuns.dispose());
  // Plans that were running when Troika stopped go on from their last recorded step.
  void planRuns.resumeRunning();

  return {
    router,
    events,
    config,
    terminals,
    agents: agentRuntime.agents,
    settings,
    plans: planRuns,
    busyAgents: () => agentRuntime.agents.activeCount,
    unlandedWork: () => landing.unlanded(),
    async dispose() {
      for (const dispose of disposers.reverse()) await dispose();
    },
  };
}
