/**
 * The desktop app's main process: windows, menus, the keychain,
 * notifications and the quit flow. The backend (terminals, agents, cache,
 * persistence) runs in its own utility process, so a stall there never
 * freezes a window; the main process relays the typed protocol between each
 * renderer and it (backend/host/relay.ts). Kept thin; the rules live in
 * security.ts, ipc-transport.ts and backend/host/.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { readBackendConfig } from '../backend/config.ts';
import type { AgentNotification } from '../backend/host/notifications.ts';
import { messageOf } from '../backend/host/endpoint.ts';
import { BackendRelay, type MainServices } from '../backend/host/relay.ts';
import { ApiKeyStore } from './api-key-store.ts';
import { IpcTransport } from './ipc-transport.ts';
import { buildMenuTemplate } from './menu.ts';
import { QuitFlow } from './quit-flow.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isAllowedExternalUrl,
  PROTOCOL_CHANNEL,
  resolveAppFile,
} from './security.ts';
import { forkUtilityBackend } from './utility-backend.ts';
import { loadWindowState, MIN_SIZE, restoreBounds, saveWindowState } from './window-state.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const WEB_ROOT = join(here, '..', '..', 'web', 'browser');
const PRELOAD = join(here, 'preload.cjs');
/** The backend process's entry, emitted beside this file's folder (dist/node/backend/host/main.js). */
const BACKEND_ENTRY = join(here, '..', 'backend', 'host', 'main.js');

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const log = (message: string): void => console.error(`[troika] ${message}`);
let relay: BackendRelay | undefined;
const transport = new IpcTransport(() => relay, log);

function serveApp(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(WEB_ROOT, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    const body = await readFile(file).catch(() => readFile(join(WEB_ROOT, 'index.html')));
    return new Response(new Uint8Array(body), {
      headers: {
        'Content-Type': MIME[extname(file)] ?? 'text/html',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      },
    });
  });
}

function createWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const saved = loadWindowState(stateFile);
  const window = new BrowserWindow({
    ...restoreBounds(
      saved,
      screen.getAllDisplays().map((display) => display.workArea),
    ),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Troika',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  transport.attach(contents);
  window.on('close', () =>
    saveWindowState(stateFile, {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
    }),
  );
  window.once('ready-to-show', () => {
    if (saved?.maximized) window.maximize();
    window.show();
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

/** What the backend process may ask of this one. */
/** Anthropic's key and the OpenAI-compatible provider's, each in its own keychain-encrypted file. */
interface KeyStores {
  anthropic: ApiKeyStore;
  openai: ApiKeyStore;
}

function mainServices(keyStores: KeyStores): MainServices {
  return {
    async pickFolder(title) {
      const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options = {
        title: title ?? 'Choose a workspace folder',
        properties: ['openDirectory' as const, 'createDirectory' as const],
      };
      const result = owner
        ? await dialog.showOpenDialog(owner, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? undefined : result.filePaths[0];
    },
    // Settings can store a key in the OS keychain; it takes effect on the next start.
    keychain: keyStores.anthropic,
    openaiKeychain: keyStores.openai,
    notify: showNotification,
  };
}

function showNotification(note: AgentNotification): void {
  if (!Notification.isSupported()) return;
  new Notification({ title: note.title, body: note.body }).show();
  const window = BrowserWindow.getAllWindows()[0];
  if (note.urgent && window && !window.isFocused()) window.flashFrame(true);
}

/** Starts the backend in a utility process; resolves once it serves. */
async function launchBackend(dataDir: string, keyStores: KeyStores): Promise<BackendRelay> {
  const next = new BackendRelay({
    process: forkUtilityBackend(utilityProcess.fork, BACKEND_ENTRY, process.env),
    services: mainServices(keyStores),
    log,
  });
  next.onUnexpectedExit((code) => void backendStopped(code, dataDir, keyStores));
  const env = readBackendConfig();
  await next.start({
    dataDir,
    apiKey: keyStores.anthropic.get() ?? env.apiKey,
    openaiApiKey: keyStores.openai.get() ?? env.openaiApiKey,
  });
  return next;
}

/** The backend process died (a crash, or killed from outside): offer a fresh one. */
async function backendStopped(
  code: number | null,
  dataDir: string,
  keyStores: KeyStores,
): Promise<void> {
  if (quitFlow.quitting) return;
  const { response } = await dialog.showMessageBox({
    type: 'error',
    buttons: ['Restart the backend', 'Quit'],
    defaultId: 0,
    cancelId: 1,
    message: 'Troika’s backend stopped unexpectedly.',
    detail: `Its terminals and running agents have ended (exit code ${code ?? 'none'}). Transcripts are kept; agents can be resumed.`,
  });
  if (response !== 0) {
    app.quit();
    return;
  }
  try {
    relay = await launchBackend(dataDir, keyStores);
  } catch (error) {
    dialog.showErrorBox('Troika could not restart its backend', messageOf(error));
    app.exit(1);
    return;
  }
  // Reloading gives each renderer a fresh connection to the new backend.
  for (const window of BrowserWindow.getAllWindows()) window.webContents.reload();
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
  const dataDir = process.env['TROIKA_DATA_DIR'] || app.getPath('userData');
  const keyStores: KeyStores = {
    anthropic: new ApiKeyStore(join(dataDir, 'api-key.bin'), safeStorage),
    openai: new ApiKeyStore(
      join(dataDir, 'openai-api-key.bin'),
      safeStorage,
      process.platform,
      'TROIKA_OPENAI_API_KEY',
    ),
  };
  relay = await launchBackend(dataDir, keyStores);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(process.platform, { openDataFolder: () => void shell.openPath(dataDir) }),
    ),
  );
  ipcMain.on(PROTOCOL_CHANNEL, transport.onMessage);
  serveApp();
  let window = createWindow();
  app.on('second-instance', () => {
    if (window.isDestroyed()) window = createWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

const quitFlow = new QuitFlow({
  busyAgents: async () => (relay ? relay.busyAgents() : 0),
  unlandedWork: async () => (relay ? relay.unlandedWork() : []),
  confirm: async (busy, unlanded) => {
    // Work not landed is kept (branches and worktrees stay); the user should know where it is.
    const left =
      unlanded.length === 0
        ? ''
        : `\n\nWork not merged yet stays on its branch (Worktrees lists it):\n${unlanded.join('\n')}`;
    const { response } = await dialog.showMessageBox({
      type: 'question',
      buttons: [busy === undefined ? 'Quit' : busy > 0 ? 'Stop agents and quit' : 'Quit', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message:
        busy === undefined
          ? 'Troika’s backend is not responding.'
          : busy > 0
            ? `${busy} agent${busy === 1 ? ' is' : 's are'} still at work.`
            : `${unlanded.length} branch${unlanded.length === 1 ? ' holds' : 'es hold'} work not merged yet.`,
      detail:
        (busy === undefined
          ? 'Quitting ends it; agents at work stop where they are, and their transcripts are kept.'
          : busy > 0
            ? 'Quitting stops them cleanly; their transcripts are kept and can be resumed later.'
            : 'Nothing is lost by quitting.') + left,
    });
    return response === 0;
  },
  shutdown: async () => {
    await relay?.shutdown();
  },
});

app.on('before-quit', (event) => {
  if (quitFlow.done) return;
  event.preventDefault();
  void quitFlow.request().then((outcome) => {
    if (outcome === 'quit') app.quit();
  });
});

start().catch((error: unknown) => {
  const message = messageOf(error);
  log(`failed to start: ${message}`);
  dialog.showErrorBox('Troika could not start', message);
  app.exit(1);
});
