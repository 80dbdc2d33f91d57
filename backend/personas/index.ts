/**
 * `personas/` owns personas: loading, parsing and choosing them, and the
 * built-in persona files in `builtin/`.
 *
 * Personas: roles an agent takes (architect, backend, frontend, security, qa,
 * performance, docs, refactorer, reviewer, and the user's own), as Markdown files with
 * YAML front matter.
 *
 * @example
 * const { personas, errors } = await loadPersonas({ userDir: join(dataDir, 'personas') });
 * const choice = choosePersona({ task, files: mentionedPaths(task) }, personas);
 * const block = choice && renderPersonaBlock(choice.persona); // the system block, stable bytes
 */
export type { Persona, PersonaOrigin, PersonaToolLimits, PersonaTriggers } from './persona.ts';
export { MAX_PERSONA_NAME_LENGTH, PersonaFrontMatter } from './persona.ts';
export { parsePersona, PersonaError } from './parse.ts';
export { BUILTIN_PERSONAS_DIR, loadPersonas, MAX_PERSONA_FILE_BYTES } from './load.ts';
export type { LoadedPersonas, LoadPersonasOptions } from './load.ts';
export {
  choosePersona,
  GLOB_SCORE,
  KEYWORD_SCORE,
  scorePersona,
  TOOL_SCORE,
  UnknownPersonaError,
} from './select.ts';
export type { PersonaChoice, PersonaMatch, PersonaQuery } from './select.ts';
export { mentionedPaths } from './mentions.ts';
export { renderPersonaBlock } from './prompt-block.ts';
