/**
 * The `persona` built-in: chooses the agent's persona, puts its block in
 * every model request, and holds the agent to the persona's tool limits.
 *
 * When the persona changes: a pinned persona is set from the start; otherwise
 * the first user message that matches a persona's triggers chooses it (the
 * task, usually; a later message only while none has matched). Once chosen,
 * a persona stays for the agent's life unless the user pins another: the
 * block is part of the cached prompt prefix, so a change costs a cache write
 * and is made deliberately, and announced, never per call.
 */
import { relative, resolve, sep } from 'node:path';
import { mentionedPaths } from '../../personas/mentions.ts';
import type { Persona } from '../../personas/persona.ts';
import { renderPersonaBlock } from '../../personas/prompt-block.ts';
import { choosePersona, UnknownPersonaError, type PersonaMatch } from '../../personas/select.ts';
import { toolNames } from '../claude-tools.ts';
import type { Hook } from '../hook.ts';

export const PERSONA_HOOK_NAME = 'persona';
/** Paths and tool names kept as trigger evidence; enough for any task, bounded for a long one. */
const MAX_EVIDENCE = 500;

/** A persona change, for the agent's events. */
export interface PersonaChange {
  /** The new persona; `null` for none. */
  readonly name: string | null;
  readonly previous: string | null;
  /** Why, for a person: "pinned by the user", or the triggers that matched. */
  readonly reason: string;
  readonly matched?: PersonaMatch;
  readonly pinned: boolean;
}

/**
 * One agent's persona, kept across its runs (the pipeline is rebuilt per
 * run; the choice is not).
 */
export class PersonaSelection {
  readonly #personas: readonly Persona[];
  readonly #onChange: (change: PersonaChange) => void;
  #active: Persona | undefined;
  #block: string | undefined;
  /** The user chose: a persona, or none at all. Triggers no longer choose. */
  #pinned = false;
  readonly #files = new Set<string>();
  readonly #tools = new Set<string>();

  /**
   * @param pinned A persona name the user chose, if any.
   * @throws {UnknownPersonaError} when `pinned` names no persona.
   */
  constructor(
    personas: readonly Persona[],
    options: { pinned?: string; onChange?: (change: PersonaChange) => void } = {},
  ) {
    this.#personas = personas;
    this.#onChange = options.onChange ?? (() => undefined);
    if (options.pinned !== undefined) this.pin(options.pinned);
  }

  get active(): Persona | undefined {
    return this.#active;
  }

  /** The system block of the active persona: the same string object while it stays. */
  get block(): string | undefined {
    return this.#block;
  }

  /**
   * The user chooses a persona, or none (`null`); announced as a change.
   * @throws {UnknownPersonaError} for an unknown name.
   */
  pin(name: string | null): void {
    const persona = name === null ? undefined : this.#personas.find((p) => p.name === name);
    if (name !== null && persona === undefined) throw new UnknownPersonaError(name, this.#personas);
    this.#pinned = true;
    this.#set(persona, {
      reason: name === null ? 'turned off by the user' : 'pinned by the user',
      pinned: true,
    });
  }

  /** A user message arrived: choose by triggers if nothing is chosen yet. */
  considerPrompt(prompt: string): void {
    if (this.#pinned || this.#active !== undefined) return;
    for (const path of mentionedPaths(prompt)) this.#remember(this.#files, path);
    const choice = choosePersona(
      { task: prompt, files: [...this.#files], tools: [...this.#tools] },
      this.#personas,
    );
    if (choice !== undefined)
      this.#set(choice.persona, { reason: choice.reason, matched: choice.matched, pinned: false });
  }

  /** A tool call is about to run: remember it as evidence; returns why the persona forbids it, if it does. */
  considerTool(toolName: string, input: unknown, cwd: string): string | undefined {
    const names = toolNames(toolName, input);
    for (const name of names) this.#remember(this.#tools, name);
    const path = pathOf(input, cwd);
    if (path !== undefined) this.#remember(this.#files, path);
    return this.#forbids(names, toolName);
  }

  #forbids(names: readonly string[], toolName: string): string | undefined {
    const limits = this.#active?.tools;
    if (limits === undefined) return undefined;
    const lower = names.map((n) => n.toLowerCase());
    const listed = (list: readonly string[] | undefined) =>
      list?.some((n) => lower.includes(n.toLowerCase())) ?? false;
    const persona = this.#active?.name ?? '';
    if (listed(limits.deny))
      return `The ${persona} persona does not use ${toolName}. Use another tool or ask the user.`;
    if (limits.allow !== undefined && !listed(limits.allow)) {
      return `The ${persona} persona uses only ${limits.allow.join(', ')}; ${toolName} is not among them. Use one of those or ask the user.`;
    }
    return undefined;
  }

  #remember(set: Set<string>, value: string): void {
    if (set.size < MAX_EVIDENCE) set.add(value);
  }

  #set(
    persona: Persona | undefined,
    why: { reason: string; matched?: PersonaMatch; pinned: boolean },
  ): void {
    const previous = this.#active?.name ?? null;
    this.#active = persona;
    this.#block = persona === undefined ? undefined : renderPersonaBlock(persona);
    this.#onChange({ name: persona?.name ?? null, previous, ...why });
  }
}

/** The workspace-relative path a tool call names, if any. */
function pathOf(input: unknown, cwd: string): string | undefined {
  const path = (input as { path?: unknown } | null)?.path;
  if (typeof path !== 'string') return undefined;
  const rel = relative(cwd, resolve(cwd, path));
  if (rel === '' || rel.startsWith('..')) return undefined;
  return rel.split(sep).join('/');
}

/** The persona hook over one agent's selection. */
export function personaHook(selection: PersonaSelection): Hook {
  return {
    name: PERSONA_HOOK_NAME,
    userPromptSubmit(event) {
      selection.considerPrompt(event.prompt);
      return undefined;
    },
    preToolUse(event, context) {
      const forbidden = selection.considerTool(
        event.toolName,
        event.toolInput,
        context.session.cwd,
      );
      return forbidden === undefined ? undefined : { decision: 'deny', reason: forbidden };
    },
    modelRequest() {
      // No persona chosen: leave the request as the runtime built it.
      return selection.block === undefined ? undefined : { persona: selection.block };
    },
  };
}
