/**
 * The scripted Anthropic API for bench:tokens, in its own process (started
 * by model-process.ts at the lowest priority). In the product the model is a
 * remote service: its JSON parsing, prompt-cache emulation and response
 * building do not run, or collect garbage, in the process whose hook times
 * are measured, so the overhead per tool call measures Troika's hooks and
 * not the stand-in's work. The process plays one
 * session's honest model; at the end it sends back every recorded request
 * and the model's counts for billing and the checks.
 */
import { startMessagesServer } from '../../testing/messages-server/index.ts';
import type { ContextEditingSettings } from '../../testing/messages-server/index.ts';
import { HonestModel } from './honest-model.ts';
import { SESSIONS } from './sessions.ts';

export interface ModelWorkerData {
  readonly session: string;
  readonly cacheMinTokens: number;
  readonly contextEditing?: ContextEditingSettings;
}

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('model-worker.ts runs as a child process with IPC');
  const data = JSON.parse(process.argv[2] ?? '{}') as ModelWorkerData;
  const session = SESSIONS.find((s) => s.name === data.session);
  if (session === undefined) throw new Error(`no bench session named ${data.session}`);
  const model = new HonestModel(session.plan);
  const server = await startMessagesServer({
    script: { handler: model.handler },
    cacheMinTokens: data.cacheMinTokens,
    ...(data.contextEditing !== undefined && { contextEditing: data.contextEditing }),
  });
  process.once('message', () => {
    send({ kind: 'done', requests: server.messageRequests, counts: model.counts }, () => {
      void server.close().then(() => process.disconnect());
    });
  });
  // The bench went away: so does its model.
  process.once('disconnect', () => process.exit(0));
  send({ kind: 'ready', url: server.url, apiKey: server.apiKey });
}

void main();
