/**
 * The reviewer's verdict, as the tool `submit_review` takes it: `approve`
 * or `request_changes`, findings (file, line range, severity, claim,
 * evidence, suggested fix) and risks. The zod schema checks what the model
 * sends; the tool's JSON schema is derived from it, so the two never differ.
 */
import { z } from 'zod';
import { SUBMIT_REVIEW_TOOL_NAME } from '../protocol/tool-names.ts';
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { FINDING_SEVERITIES, REVIEW_VERDICTS } from '../protocol/payloads/plan-talk.ts';
import { inputSchema } from './tool-schema.ts';

export const SUBMIT_REVIEW_TOOL = SUBMIT_REVIEW_TOOL_NAME;

const MAX_TEXT = 8_000;
const Text = z.string().trim().min(1).max(MAX_TEXT);

export const FindingInput = z
  .object({
    file: z.string().trim().min(1).max(1024).describe('Path relative to the repository root.'),
    startLine: z.number().int().min(1),
    endLine: z.number().int().min(1),
    severity: z.enum(FINDING_SEVERITIES),
    claim: Text.describe('What is wrong, in one or two sentences.'),
    evidence: Text.describe('What shows it: the code, a criterion it misses, a failing case.'),
    suggestedFix: z.string().trim().max(MAX_TEXT).default('').describe('How to fix it.'),
  })
  .refine((f) => f.endLine >= f.startLine, {
    path: ['endLine'],
    message: 'must not be before startLine',
  });

export const ReviewInput = z
  .object({
    verdict: z.enum(REVIEW_VERDICTS),
    summary: Text.describe('The verdict in a few sentences, against the acceptance criteria.'),
    findings: z.array(FindingInput).max(50).default([]),
    risks: z.array(Text).max(20).default([]).describe('What could still go wrong once merged.'),
  })
  .refine((r) => r.verdict === 'approve' || r.findings.length > 0, {
    path: ['findings'],
    message: 'request_changes needs at least one finding for the builder to act on',
  });
export type ReviewVerdict = z.output<typeof ReviewInput>;

export const submitReviewTool: Tool = {
  name: SUBMIT_REVIEW_TOOL,
  description:
    'Give your verdict on the change, once, when you have read enough: approve when it meets the acceptance criteria and is safe to merge; request_changes with findings the builder must fix.',
  input_schema: inputSchema(ReviewInput),
};

/**
 * The findings as the builder is told them on its next attempt. Worded as
 * work to do, not as a review: a builder's persona is chosen again from each
 * message it gets, and must stay a builder's.
 */
export function findingsText(review: ReviewVerdict): string {
  const lines = [`Before this merges, fix the following. ${review.summary}`, ''];
  review.findings.forEach((f, i) => {
    lines.push(
      `${i + 1}. [${f.severity}] ${f.file}:${f.startLine}-${f.endLine}: ${f.claim}`,
      `   Why: ${f.evidence}`,
    );
    if (f.suggestedFix) lines.push(`   Fix: ${f.suggestedFix}`);
  });
  if (review.risks.length > 0) lines.push('', `Also keep in mind: ${review.risks.join('; ')}`);
  lines.push('', 'Fix every point, then commit and finish.');
  return lines.join('\n');
}
