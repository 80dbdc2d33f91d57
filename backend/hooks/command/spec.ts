/** What a hooks file holds once read: its command hooks, and the private copies their scripts run from. */
import type { HookEventName } from '../types.ts';
import type { ScriptWord } from './script-word.ts';

export interface ScriptCopy {
  readonly word: ScriptWord;
  /** The file that was copied, as it was at load. */
  readonly source: string;
  /** The private copy that runs in its place. */
  readonly copy: string;
}

export interface CommandHookSpec {
  readonly event: HookEventName;
  /** The matcher as written; tool events only. */
  readonly matcher: string | undefined;
  readonly command: string;
  readonly timeoutSeconds: number;
  /** Where it was defined, for messages: `/path/settings.json: hooks.PreToolUse[0].hooks[1]`. */
  readonly origin: string;
  /** The copy its script runs from when the script lies in the agent's workspace (see `script-copies.ts`). */
  readonly scriptCopy?: ScriptCopy;
  /** For a Claude Code plugin's hooks: the plugin's folder, given to the command as `CLAUDE_PLUGIN_ROOT`. */
  readonly pluginRoot?: string;
}

export interface HookSettings {
  readonly file: string;
  /** Every command hook, in file order (event by event as in {@link HOOK_EVENTS}). */
  readonly commands: readonly CommandHookSpec[];
  /** Parts of the file Troika does not run, each naming where it is. */
  readonly warnings: readonly string[];
  /** How commands will run, for the user to know: which scripts run from a copy, and which could not be copied. */
  readonly notices?: readonly string[];
}
