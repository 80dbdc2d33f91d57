/**
 * `finish`: the agent ends its work with a structured report. COMPLETE ends
 * the run; NEEDS_CLARIFICATION and BLOCKED put a question to the user, whose
 * answer comes back as this tool's result, and the agent goes on.
 */
import { z } from 'zod';
import { FINISH_STATUSES, type FinishReport } from '../../protocol/agent.ts';
import { defineTool, fail, ok } from './tool.ts';
import { FINISH_TOOL_NAME } from '../../protocol/tool-names.ts';

/** A report is read by a person at a glance; longer text belongs in the conversation. */
const MAX_REPORT_TEXT = 20_000;
/** Enough for any honest list of assumptions or blockers. */
const MAX_LIST_ITEMS = 50;

const Item = z.string().trim().min(1).max(MAX_REPORT_TEXT);

export const FinishInput = z
  .object({
    status: z.enum(FINISH_STATUSES),
    summary: Item,
    assumptions: z.array(Item).max(MAX_LIST_ITEMS).default([]),
    blockers: z.array(Item).max(MAX_LIST_ITEMS).default([]),
    question: Item.optional(),
  })
  .refine((r) => r.status !== 'NEEDS_CLARIFICATION' || r.question !== undefined, {
    path: ['question'],
    message: 'NEEDS_CLARIFICATION needs the question to put to the user',
  })
  .refine((r) => r.status !== 'BLOCKED' || r.blockers.length > 0, {
    path: ['blockers'],
    message: 'BLOCKED needs at least one blocker',
  });

/** A state reason is one line in a list; the report holds the rest. */
const MAX_REASON_CHARS = 200;

/** The `done` state's reason for a COMPLETE report: its summary's first line. */
export function completeReason(report: FinishReport): string {
  const line = report.summary.split('\n', 1)[0] ?? '';
  return `Complete: ${line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 1)}…` : line}`;
}

/** The question a report puts to the user, or null for COMPLETE. */
export function reportQuestion(report: FinishReport): string | null {
  if (report.status === 'COMPLETE') return null;
  return report.question ?? `I am blocked: ${report.blockers.join('; ')}. How should I proceed?`;
}

/** The tool; the agent running it provides `context.finish`. */
export const finishTool = defineTool({
  name: FINISH_TOOL_NAME,
  definition: {
    name: FINISH_TOOL_NAME,
    description:
      'End your work on the task with a report for the developer. Call it once, when you are done or cannot go on, instead of ending with plain text. ' +
      'COMPLETE: the task is done (say what changed and how you checked it). ' +
      'NEEDS_CLARIFICATION: you need a decision only the developer can make (ask it in "question"); their answer comes back as this tool\'s result and you continue. ' +
      'BLOCKED: something outside your control stops you (list it in "blockers"); the developer\'s answer comes back as the result.',
    input_schema: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: [...FINISH_STATUSES] },
        summary: {
          type: 'string',
          description: 'What you did and how you verified it, in a few sentences.',
        },
        assumptions: {
          type: 'array',
          items: { type: 'string' },
          description: 'What you assumed without being told.',
        },
        blockers: {
          type: 'array',
          items: { type: 'string' },
          description: 'What stops you or is still open.',
        },
        question: {
          type: 'string',
          description:
            'For NEEDS_CLARIFICATION and BLOCKED: the question for the developer, self-contained.',
        },
      },
      required: ['status', 'summary'],
    },
  },
  schema: FinishInput,
  async run(input, context) {
    if (!context.finish)
      return fail(
        'This agent cannot take a report here; end your turn with a plain-text summary instead.',
      );
    const report: FinishReport = {
      status: input.status,
      summary: input.summary,
      assumptions: input.assumptions,
      blockers: input.blockers,
      question: input.question ?? null,
    };
    const answer = await context.finish(report);
    if (answer === null)
      return ok('Report recorded. Your work on this task is complete; do not call more tools.');
    return ok(`The user answered: ${answer}`);
  },
});
