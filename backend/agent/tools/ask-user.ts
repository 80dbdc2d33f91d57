/** `ask_user`: the agent asks the person a question and waits for the answer (state "waiting for an answer"). */
import { z } from 'zod';
import { defineTool, ok } from './tool.ts';
import { ASK_USER_TOOL_NAME } from '../../protocol/tool-names.ts';

export const askUserTool = defineTool({
  name: ASK_USER_TOOL_NAME,
  definition: {
    name: ASK_USER_TOOL_NAME,
    description:
      'Ask the user a question and wait for the answer. Use it only when you cannot continue without a decision or information that only the user has.',
    input_schema: {
      type: 'object',
      properties: { question: { type: 'string', description: 'The question, self-contained.' } },
      required: ['question'],
    },
  },
  schema: z.object({ question: z.string().min(1) }),
  async run(input, context) {
    const answer = await context.askUser(input.question);
    return ok(`The user answered: ${answer}`);
  },
});
