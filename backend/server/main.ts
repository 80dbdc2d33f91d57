/**
 * Web mode entry point: `npm run start:web`. Starts the backend and serves the
 * app on 127.0.0.1, printing the URL with its access token.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../app.ts';
import { readBackendConfig, readWebConfig } from '../config.ts';
import { startWebServer } from './web-server.ts';

const staticRoot = fileURLToPath(new URL('../../dist/web/browser', import.meta.url));

async function main(): Promise<void> {
  if (!existsSync(staticRoot)) {
    throw new Error(
      `The app is not built (${staticRoot} is missing): run \`npm run build:web\` first`,
    );
  }
  const backend = await createBackend({ config: readBackendConfig(), host: 'web' });
  const server = await startWebServer({
    backend,
    staticRoot,
    ...readWebConfig(),
    log: (message) => console.error(`[troika] ${message}`),
  });
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
