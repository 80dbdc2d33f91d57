/**
 * `server/` owns web mode: this entry point, the HTTP and WebSocket
 * transport, access and connections.
 *
 * Web mode entry point: `npm run start:web`. Starts the backend and serves the
 * app on 127.0.0.1, printing the URL with its access token.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../app.ts';
import { readBackendConfig, readWebConfig } from '../config.ts';
import { Redactor } from '../redaction/redact.ts';
import { installSafetyNet } from './safety-net.ts';
import { startWebServer } from './web-server.ts';

const staticRoot = fileURLToPath(new URL('../../dist/web/browser', import.meta.url));

async function main(): Promise<void> {
  if (!existsSync(staticRoot)) {
    throw new Error(
      `The app is not built (${staticRoot} is missing): run \`npm run build:web\` first`,
    );
  }
  const config = readBackendConfig();
  // Whatever is logged passes the redactor: the API key, the access token and well-known credential shapes are hidden.
  const redactor = new Redactor();
  if (config.apiKey) redactor.addSecret(config.apiKey, 'anthropic-api-key');
  if (config.openaiApiKey) redactor.addSecret(config.openaiApiKey, 'openai-api-key');
  const log = (message: string): void => console.error(`[troika] ${redactor.redact(message)}`);
  installSafetyNet({ log, redact: (text) => redactor.redact(text) });
  const backend = await createBackend({ config, host: 'web' });
  const server = await startWebServer({ backend, staticRoot, ...readWebConfig(), log });
  redactor.addSecret(server.token, 'web-token');
  console.log(`Troika web mode is listening on 127.0.0.1:${server.port}`);
  console.log(`Open: ${server.url}`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await backend.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`[troika] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
