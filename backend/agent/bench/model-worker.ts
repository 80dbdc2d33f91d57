/**
 * The scripted Anthropic API for bench:tokens, on its own thread. In the
 * product the model is a remote service: its JSON parsing, prompt-cache
 * emulation and response building do not run, or collect garbage, in the
 * process whose hook times are measured. Here they run in a worker thread
 * (its own V8 heap and collector), so the overhead per tool call measures
 * Troika's hooks and not the stand-in's garbage. The worker plays one
 * session's honest model; at the end it sends back every recorded request
 * and the model's counts for billing and the checks.
 */
import { parentPort, workerData } from 'node:worker_threads';
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
  const port = parentPort;
  if (port === null) throw new Error('model-worker.ts runs as a worker thread');
  const data = workerData as ModelWorkerData;
  const session = SESSIONS.find((s) => s.name === data.session);
  if (session === undefined) throw new Error(`no bench session named ${data.session}`);
  const model = new HonestModel(session.plan);
  const server = await startMessagesServer({
    script: { handler: model.handler },
    cacheMinTokens: data.cacheMinTokens,
    ...(data.contextEditing !== undefined && { contextEditing: data.contextEditing }),
  });
  port.once('message', () => {
    port.postMessage({ kind: 'done', requests: server.messageRequests, counts: model.counts });
    void server.close().then(() => port.close());
  });
  port.postMessage({ kind: 'ready', url: server.url, apiKey: server.apiKey });
}

void main();
