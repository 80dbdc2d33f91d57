/**
 * Which agent state changes deserve a desktop notification: the ones where the
 * user is needed (approval, question) or an agent's run ended.
 */
import type { EventMap } from '../protocol/index.ts';

export interface AgentNotification {
  title: string;
  body: string;
  /** Needs the user: also flash the window / bounce the dock. */
  urgent: boolean;
}

const BODY_LIMIT = 180;

function clip(text: string): string {
  return text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT - 1)}…` : text;
}

export function notificationFor(event: EventMap['agent.state']): AgentNotification | undefined {
  const { agent, state, reason } = event;
  const name = clip(agent.task.split('\n')[0] ?? agent.id);
  switch (state) {
    case 'waiting_approval':
      return {
        title: 'An agent asks for approval',
        body: clip(agent.pendingApproval?.preview ?? name),
        urgent: true,
      };
    case 'waiting_answer':
      return {
        title: 'An agent has a question',
        body: clip(agent.pendingQuestion?.question ?? name),
        urgent: true,
      };
    case 'done':
      return { title: 'Agent finished', body: name, urgent: false };
    case 'failed':
      return { title: 'Agent failed', body: clip(reason ?? name), urgent: true };
    case 'stopped':
      // A stop the user asked for needs no news; a budget or shutdown stop does.
      return reason && !/by the user/i.test(reason)
        ? { title: 'Agent stopped', body: clip(reason), urgent: false }
        : undefined;
    default:
      return undefined;
  }
}

/** A plan task escalated to the user: they are needed, as for an agent's approval. */
export function planNotificationFor(event: EventMap['plans.escalated']): AgentNotification {
  return {
    title: 'A plan task needs you',
    body: clip(`${event.planName} · ${event.title}${event.reason ? `: ${event.reason}` : ''}`),
    urgent: true,
  };
}
