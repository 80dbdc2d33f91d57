/**
 * Troika's hook pipeline for the agent runtime, as the app sets it up: the
 * built-ins (policy, redaction, persona, token cache, clearing, audit) and
 * the user's command hooks from the hooks file, behind the one
 * `HookRunner` seam (hooks/runner.ts).
 *
 * @example
 * const hooks = createAgentHooks({ dataDir, apiKey, env, report: (id, r) => manager.hookReport(id, r) });
 * const manager = new AgentManager({ …, hooks: hooks.runner });
 * // at shutdown, after the manager: await hooks.dispose();
 *
 * Loading the persona and hook files is asynchronous; the runner waits for it
 * on first use, so the runtime can be assembled synchronously. A hooks file
 * or persona file that cannot be used is reported to every agent as an
 * `agent.hook` event (`not_loaded`), and agents run without it. If the
 * built-ins themselves cannot be set up, every hook call fails, and with it
 * the agent: nothing runs unchecked.
 */
import { join } from 'node:path';
import type { WatchBackend } from '../../cache/index.ts';
import { loadHookSettings, type HookSettings } from '../hooks/command/settings.ts';
import { TroikaHooks } from '../hooks/troika-hooks.ts';
import { DEFAULT_CLEARING, type ClearingSettings } from '../hooks/builtin/tool-result-clearing.ts';
import { WorkspaceCaches } from '../hooks/workspace-caches.ts';
import { economyFromEnv, resolveEconomy, type TokenEconomy } from '../hooks/token-economy.ts';
import { loadPersonas } from '../personas/load.ts';
import { WorkspacePersonas } from './workspace-personas.ts';
import { Redactor } from '../redaction/redact.ts';
import { plainHookReport, toHookReport, type HookReport } from './hook-reports.ts';
import { hookScriptsDir, resolveHooksFile, resolvePersonasDir } from './hooks-config.ts';
import type {
  HookAgent,
  HookRunner,
  RunOutcome,
  StopDecision,
  ToolCall,
  ToolDecision,
  WaitNotice,
} from '../hooks/runner.ts';
import type { SessionStartSource } from '../hooks/lifecycle.ts';
import type { ToolOutput } from '../hooks/types.ts';
import { ClaudePermissions } from '../hooks/builtin/policy/claude-permissions.ts';
import type { ModelRequestSpec } from '../provider/request-builder.ts';

/** Folder under the data folder for the token caches' cold tiers, one SQLite file per workspace. */
export const CACHE_DIR_NAME = 'cache';

export interface AgentHooksOptions {
  dataDir: string;
  /** The configured API key: registered with the redactor, so no tool result can show it. */
  apiKey: string | undefined;
  /**
   * The process's redactor, shared with the other output paths (the terminal
   * recording), so a secret value found in one is hidden in all. Default: a new one.
   */
  redactor?: Redactor;
  /** Where `TROIKA_HOOKS_FILE` and `TROIKA_PERSONAS_DIR` are read, and what command hooks inherit. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** A hooks file the user chose in the settings (overrides the environment). */
  hooksFile?: string | undefined;
  /** A persona folder the user chose in the settings (overrides the environment). */
  personasDir?: string | undefined;
  /** The token caches' file watching; default per platform. Tests use `'none'`. */
  watch?: WatchBackend;
  /** Turn the token cache off (the benchmark's baseline keeps the other hooks). Default true. */
  tokenCache?: boolean;
  /**
   * Tool-result clearing (see `hooks/builtin/tool-result-clearing.ts`): settings
   * over the defaults, or false for none. Default: on with the token cache,
   * which answers a re-read of a cleared, unchanged file without running the tool.
   */
  toolResultClearing?: Partial<ClearingSettings> | false;
  /** The user's home folder, for `~/.claude/settings.json` permission rules; omitted: not read (tests). */
  homeDir?: string | undefined;
  /** The agent's transcript file in Claude Code's format (a hook's `transcript_path`); default none (`""`). */
  transcriptPath?: (agentId: string) => string;
  /**
   * The token economy switches above the environment's (see
   * `hooks/token-economy.ts`): the settings' global choice and each agent's
   * own, asked when an agent first runs. Default: the environment's, else on.
   */
  economy?: {
    global?: () => Partial<TokenEconomy> | undefined;
    agent?: (agentId: string) => Partial<TokenEconomy> | undefined;
  };
  /** Where the hooks' reports about an agent go (the manager's `hookReport`). */
  report(agentId: string, report: HookReport): void;
  /** Problems that concern no single agent (a token cache warning). Default: stderr. */
  log?(message: string): void;
}

export interface AgentHooks {
  /** The pipeline's seam, for `AgentManager({ hooks: runner })`. */
  readonly runner: HookRunner;
  /** Resolves when the persona and hook files are loaded (every hook call waits for it anyway). */
  readonly ready: Promise<void>;
  /**
   * The user pins a persona (or none) for an agent whose hooks have run:
   * announced and logged as a persona change (it rewrites the cached prompt prefix).
   */
  pinPersona(agentId: string, name: string | null): Promise<void>;
  /** Kills running hook commands and closes the token caches. */
  dispose(): Promise<void>;
}

interface Loaded {
  hooks: TroikaHooks;
  /** Problems reading the user's files, and notes on how hooks run, told to each agent once. */
  problems: Array<{ hook: string; message: string; note?: boolean }>;
}

async function loadSettings(
  options: AgentHooksOptions,
  env: NodeJS.ProcessEnv,
  problems: Loaded['problems'],
): Promise<HookSettings | undefined> {
  const { file, required } = resolveHooksFile(options.dataDir, env, options.hooksFile);
  if (file === undefined) return undefined;
  try {
    const settings = await loadHookSettings(file, {
      required,
      scriptCopyDir: hookScriptsDir(options.dataDir),
    });
    for (const warning of settings.warnings)
      problems.push({ hook: 'hooks file', message: warning });
    for (const notice of settings.notices ?? [])
      problems.push({ hook: 'hooks file', message: notice, note: true });
    return settings;
  } catch (error) {
    problems.push({
      hook: 'hooks file',
      message: `${(error as Error).message}. Agents run without the hooks of this file until it is fixed and Troika restarted.`,
    });
    return undefined;
  }
}

function clearingSettings(options: AgentHooksOptions): ClearingSettings | undefined {
  const chosen = options.toolResultClearing ?? (options.tokenCache === false ? false : {});
  return chosen === false ? undefined : { ...DEFAULT_CLEARING, ...chosen };
}

export function createAgentHooks(options: AgentHooksOptions): AgentHooks {
  const env = options.env ?? process.env;
  const log = options.log ?? ((message: string) => console.error(`[troika] ${message}`));
  const caches =
    options.tokenCache === false
      ? undefined
      : new WorkspaceCaches({
          coldDir: join(options.dataDir, CACHE_DIR_NAME),
          ...(options.watch !== undefined && { watch: options.watch }),
          onWarning: (workDir, warning) => log(`token cache for ${workDir}: ${warning.message}`),
        });
  const clearing = clearingSettings(options);
  let envEconomy: Partial<TokenEconomy> = {};
  try {
    envEconomy = economyFromEnv(env);
  } catch (error) {
    log(`${(error as Error).message}; the switch stays at its default (on).`);
  }
  const economy = (agentId: string) =>
    resolveEconomy(options.economy?.agent?.(agentId), options.economy?.global?.(), envEconomy);
  const redactor = options.redactor ?? new Redactor();
  if (options.apiKey) redactor.addSecret(options.apiKey, 'anthropic-api-key');
  // Agents' shells inherit these: `echo $GITHUB_TOKEN` prints a value with no name beside it.
  redactor.addSecretsFromEnv(env);

  const personaPlaces = {
    userDir: resolvePersonasDir(options.dataDir, env, options.personasDir),
    ...(options.homeDir !== undefined && { homeDir: options.homeDir }),
  };
  const workspaces = new WorkspacePersonas(personaPlaces);
  const loading = (async (): Promise<Loaded> => {
    const problems: Loaded['problems'] = [];
    const personas = await loadPersonas(personaPlaces);
    for (const error of personas.errors)
      problems.push({
        hook: 'persona',
        message: `${error.message}; this persona is not available.`,
      });
    const settings = await loadSettings(options, env, problems);
    const hooks = new TroikaHooks({
      personas: personas.personas,
      failedPersonas: personas.failed,
      personasFor: (workDir) => workspaces.get(workDir),
      ...(settings !== undefined && { settings }),
      redactor,
      ...(caches !== undefined && { caches }),
      ...(clearing !== undefined && { clearing }),
      permissions: new ClaudePermissions({ homeDir: options.homeDir }),
      economy,
      commandEnv: env,
      ...(options.transcriptPath !== undefined && { transcriptPath: options.transcriptPath }),
      onEvent: (agentId, event) => options.report(agentId, toHookReport(event)),
    });
    return { hooks, problems };
  })();
  // Every use awaits `loading` and sees its failure; this only keeps an unused failure from crashing the process.
  loading.catch(() => undefined);

  const runner = new DeferredHooks(loading, options.report, workspaces);
  return {
    runner,
    ready: loading.then(() => undefined),
    async pinPersona(agentId, name) {
      (await loading).hooks.pinPersona(agentId, name);
    },
    async dispose() {
      const loaded = await loading.catch(() => undefined);
      await loaded?.hooks.dispose();
      await caches?.dispose();
    },
  };
}

/**
 * The seam: waits for the files to load, tells each agent about any that
 * could not be used, then hands every call to {@link TroikaHooks}.
 */
class DeferredHooks implements HookRunner {
  readonly #loading: Promise<Loaded>;
  readonly #report: AgentHooksOptions['report'];
  readonly #told = new Set<string>();
  readonly #workspaces: WorkspacePersonas;

  constructor(
    loading: Promise<Loaded>,
    report: AgentHooksOptions['report'],
    workspaces: WorkspacePersonas,
  ) {
    this.#loading = loading;
    this.#report = report;
    this.#workspaces = workspaces;
  }

  async userPrompt(agent: HookAgent, text: string): Promise<string> {
    return (await this.#hooks(agent)).userPrompt(agent, text);
  }

  async modelRequest(agent: HookAgent, request: ModelRequestSpec): Promise<ModelRequestSpec> {
    return (await this.#hooks(agent)).modelRequest(agent, request);
  }

  async toolDecision(agent: HookAgent, call: ToolCall): Promise<ToolDecision> {
    return (await this.#hooks(agent)).toolDecision(agent, call);
  }

  async toolResult(agent: HookAgent, call: ToolCall, result: ToolOutput): Promise<ToolOutput> {
    return (await this.#hooks(agent)).toolResult(agent, call, result);
  }

  async stop(agent: HookAgent, outcome: RunOutcome): Promise<StopDecision | undefined> {
    return (await this.#hooks(agent)).stop(agent, outcome);
  }

  async sessionStart(agent: HookAgent, source: SessionStartSource): Promise<void> {
    await (await this.#hooks(agent)).sessionStart(agent, source);
  }

  async preCompact(agent: HookAgent, trigger: 'manual' | 'auto'): Promise<void> {
    await (await this.#hooks(agent)).preCompact(agent, trigger);
  }

  async waiting(agent: HookAgent, notice: WaitNotice): Promise<void> {
    await (await this.#hooks(agent)).waiting(agent, notice);
  }

  async compacted(agent: HookAgent): Promise<void> {
    await (await this.#hooks(agent)).compacted(agent);
  }

  async #hooks(agent: HookAgent): Promise<TroikaHooks> {
    const { hooks, problems } = await this.#loading;
    await this.#workspaces.ensure(agent.workDir);
    if (!this.#told.has(agent.agentId)) {
      this.#told.add(agent.agentId);
      const own: Loaded['problems'] = this.#workspaces
        .workspaceErrors(agent.workDir)
        .map((error) => ({
          hook: 'persona',
          message: `${error.message}; this persona is not available.`,
        }));
      for (const problem of [...problems, ...own])
        this.#report(agent.agentId, {
          type: 'hook',
          report: problem.note
            ? plainHookReport(problem.hook, 'Load', 'note', problem.message, null)
            : plainHookReport(problem.hook, 'Load', 'not_loaded', problem.message, 'ignored'),
        });
    }
    return hooks;
  }
}
