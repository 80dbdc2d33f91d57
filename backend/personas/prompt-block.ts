/**
 * A persona as a system prompt block. The block is a pure function of the
 * persona, so it is byte-identical on every request while the persona stays
 * the same: the prompt-cache prefix (tools, then system) does not move. A
 * different block is a deliberate persona change, which the persona hook
 * logs; nothing per-call goes in here.
 */
import type { Persona } from './persona.ts';

function list(names: readonly string[]): string {
  return [...new Set(names)].sort().join(', ');
}

/** The tool limits, said to the model so it does not waste calls the persona hook would deny. */
function toolLines(persona: Persona): string[] {
  const lines: string[] = [];
  const allow = persona.tools?.allow;
  const deny = persona.tools?.deny;
  if (allow !== undefined) lines.push(`In this role you may use only these tools: ${list(allow)}.`);
  if (deny !== undefined && deny.length > 0)
    lines.push(`In this role you do not use these tools: ${list(deny)}.`);
  return lines;
}

/** The system block for `persona`: same persona, same bytes. */
export function renderPersonaBlock(persona: Persona): string {
  const lines = [
    `<persona name="${persona.name}">`,
    `Role: ${persona.name} (${persona.description})`,
    '',
    persona.prompt,
  ];
  const tools = toolLines(persona);
  if (tools.length > 0) lines.push('', ...tools);
  lines.push('</persona>');
  return lines.join('\n');
}
