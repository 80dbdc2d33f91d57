/**
 * Keeps an agent's conversation within its model's context window: before
 * each model request it measures the request (see context-meter.ts), and at
 * {@link COMPACT_AT_FRACTION} of the window it has the model summarize the
 * older turns (see compaction.ts). The compaction is announced and logged as
 * an `agent.context` event, which is also how it is restored after a restart.
 */
import type { AgentContextEvent } from '../protocol/agent.ts';
import type { AgentDeps } from './agent-deps.ts';
import type { AgentInsights } from './agent-insights.ts';
import {
  COMPACT_AT_FRACTION,
  planCompaction,
  SUMMARY_MAX_TOKENS,
  summaryRequestMessages,
} from './compaction.ts';
import { ContextMeter, estimateRequestTokens } from './context-meter.ts';
import type { Conversation } from './conversation.ts';
import { modelTurn, promptTokens, requestSpec, type ModelCallAgent } from './model-calls.ts';
import type { UsageCounts } from '../provider/models.ts';
import type { ModelRequestSpec } from '../provider/request-builder.ts';

export interface PreparedRequest {
  readonly spec: ModelRequestSpec;
  /** Troika's estimate of its prompt tokens, to set against what the API reports. */
  readonly estimated: number;
}

export class ContextKeeper {
  readonly #deps: AgentDeps;
  readonly #conversation: Conversation;
  readonly #insights: AgentInsights;
  readonly #meter: ContextMeter;
  /** Conversation length at the last skipped compaction: not retried (nor announced) until it grows. */
  #skippedAtLength = -1;

  constructor(
    deps: AgentDeps,
    conversation: Conversation,
    insights: AgentInsights,
    window: number,
  ) {
    this.#deps = deps;
    this.#conversation = conversation;
    this.#insights = insights;
    this.#meter = new ContextMeter(window);
  }

  get window(): number {
    return this.#meter.window;
  }

  /** The next request of the conversation, after making room for it when the window is nearly full. */
  async prepare(agent: ModelCallAgent): Promise<PreparedRequest> {
    const first = await this.#measure(agent);
    if (
      first.tokens < COMPACT_AT_FRACTION * this.window ||
      this.#skippedAtLength === this.#conversation.length
    )
      return first;
    if (!(await this.#compact(agent, first.tokens))) return first;
    return this.#measure(agent);
  }

  /** A response to a prepared request reported its usage. */
  observe(usage: UsageCounts, estimated: number): void {
    this.#meter.observe(promptTokens(usage), estimated);
    this.#record(promptTokens(usage));
  }

  async #measure(agent: ModelCallAgent): Promise<PreparedRequest & { tokens: number }> {
    const spec = await requestSpec(this.#deps, agent, this.#conversation.params);
    const estimated = estimateRequestTokens(spec);
    const tokens = this.#meter.tokensFor(estimated);
    this.#record(tokens);
    return { spec, estimated, tokens };
  }

  #record(tokens: number): void {
    this.#insights.setContext({
      tokens,
      window: this.window,
      compactions: this.#conversation.compaction?.count ?? 0,
    });
  }

  /** Summarizes the older turns; false when nothing could be summarized. */
  async #compact(agent: ModelCallAgent, tokensBefore: number): Promise<boolean> {
    const plan = planCompaction(this.#conversation, this.window);
    if (!plan.ok) return this.#skip(agent, tokensBefore, plan.reason);
    await this.#deps.pipeline.preCompact?.(agent.hookContext, 'auto');
    const spec = await requestSpec(
      this.#deps,
      agent,
      summaryRequestMessages(this.#conversation, plan.keepFromSeq),
      {
        maxTokens: Math.min(SUMMARY_MAX_TOKENS, this.#deps.limits.maxTokens),
        toolChoice: { type: 'none' },
      },
    );
    const turn = await modelTurn(this.#deps, agent, spec, { stream: false });
    const summary = turn.content
      .flatMap((block) => (block.type === 'text' ? [block.text] : []))
      .join('\n')
      .trim();
    if (summary === '')
      return this.#skip(agent, tokensBefore, 'The model returned an empty summary.');
    const compactions = (this.#conversation.compaction?.count ?? 0) + 1;
    this.#conversation.compact({ summary, keepFromSeq: plan.keepFromSeq, count: compactions });
    await this.#deps.pipeline.compacted(agent.hookContext);
    const after = await this.#measure(agent);
    this.#announce({
      agentId: agent.id,
      kind: 'compacted',
      tokensBefore,
      tokensAfter: after.tokens,
      window: this.window,
      summarizedMessages: plan.summarized,
      compactions,
      keptFromSeq: plan.keepFromSeq,
      summary,
      reason: null,
    });
    return true;
  }

  #skip(agent: ModelCallAgent, tokens: number, reason: string): false {
    this.#skippedAtLength = this.#conversation.length;
    const current = this.#conversation.compaction;
    this.#announce({
      agentId: agent.id,
      kind: 'skipped',
      tokensBefore: tokens,
      tokensAfter: tokens,
      window: this.window,
      summarizedMessages: 0,
      compactions: current?.count ?? 0,
      keptFromSeq: current?.keepFromSeq ?? 0,
      summary: current ? current.summary : '',
      reason,
    });
    return false;
  }

  #announce(event: AgentContextEvent): void {
    this.#deps.emit('agent.context', event);
  }
}
