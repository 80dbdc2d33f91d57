import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type {
  PlanTalk,
  QuestionHop,
  TaskReview,
} from '../../../../backend/protocol/payloads/plan-talk.ts';

/**
 * What a plan's agents said about one task: each review pass (verdict,
 * findings with file and lines, claim, evidence and fix, and risks) and
 * each hop of the builder's questions (to the planner, back, on to you).
 * Nothing shows for a task that had neither.
 */
@Component({
  selector: 'tk-task-talk',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (reviews().length > 0) {
      <details class="talk" data-task-reviews>
        <summary>
          Reviews: {{ reviews().length }} · last {{ verdictText(reviews()[reviews().length - 1]) }}
        </summary>
        @for (r of reviews(); track r.at) {
          <section class="review" [attr.data-verdict]="r.verdict ?? 'none'">
            <div>
              <strong>Round {{ r.round }}, pass {{ r.pass }}: {{ verdictText(r) }}</strong>
              <span class="meta"> · {{ r.model }}</span>
            </div>
            <p>{{ r.summary }}</p>
            @if (r.findings.length > 0) {
              <ol class="findings">
                @for (f of r.findings; track $index) {
                  <li [attr.data-severity]="f.severity">
                    <span class="severity">{{ f.severity }}</span>
                    <code>{{ f.file }}:{{ f.startLine }}–{{ f.endLine }}</code>
                    {{ f.claim }}
                    <div class="meta">Evidence: {{ f.evidence }}</div>
                    @if (f.suggestedFix) {
                      <div class="meta">Fix: {{ f.suggestedFix }}</div>
                    }
                  </li>
                }
              </ol>
            }
            @if (r.risks.length > 0) {
              <div class="meta">Risks: {{ r.risks.join('; ') }}</div>
            }
          </section>
        }
      </details>
    }
    @if (hops().length > 0) {
      <details class="talk" data-task-questions>
        <summary>Questions: {{ questionCount() }} · {{ hops().length }} hops</summary>
        <ol class="hops">
          @for (h of hops(); track h.at + h.from + h.to) {
            <li [attr.data-hop]="h.from + '-' + h.to">
              <span class="meta">Q{{ h.question }}</span>
              <strong>{{ h.from }} → {{ h.to }}</strong
              >: {{ h.text }}
              @if (h.reason) {
                <span class="meta">({{ h.reason }})</span>
              }
            </li>
          }
        </ol>
      </details>
    }
  `,
  styles: `
    .talk {
      margin: 2px 0 4px;
    }
    .talk summary {
      cursor: pointer;
    }
    .review p {
      margin: 2px 0;
    }
    .findings,
    .hops {
      margin: 2px 0;
      padding-left: 18px;
    }
    .severity {
      font-weight: 600;
      text-transform: uppercase;
      margin-right: 6px;
    }
    .findings code {
      margin-right: 6px;
    }
    .meta {
      color: var(--mat-sys-on-surface-variant);
    }
    code {
      word-break: break-all;
    }
  `,
})
export class TaskTalk {
  readonly talk = input<PlanTalk | undefined>();
  readonly taskId = input.required<string>();
  readonly reviews = computed<TaskReview[]>(
    () => this.talk()?.reviews.filter((r) => r.taskId === this.taskId()) ?? [],
  );
  readonly hops = computed<QuestionHop[]>(
    () => this.talk()?.questions.filter((h) => h.taskId === this.taskId()) ?? [],
  );
  readonly questionCount = computed(() => new Set(this.hops().map((h) => h.question)).size);

  verdictText(r: TaskReview | undefined): string {
    if (!r?.verdict) return 'no verdict';
    return r.verdict === 'approve' ? 'approved' : 'changes requested';
  }
}
