/** A model tool's `input_schema` from the zod schema that checks its input. */
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';

/** JSON Schema of what the tool accepts (zod's input side), without `$schema`, which the API refuses. */
export function inputSchema(schema: z.core.$ZodType): Tool.InputSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input' });
  return { ...rest, type: 'object' };
}
