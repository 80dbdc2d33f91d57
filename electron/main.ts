/**
 * The desktop app's main process: hosts the whole backend in-process and
 * talks to the renderer only through the typed protocol over the preload
 * bridge. Kept thin; the rules live in security.ts and ipc-transport.ts.
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
} from 'electron';
import { createBackend, type Backend } from '../backend/app.ts';
import { readBackendConfig } from '../backend/config.ts';
import { ApiKeyStore } from './api-key-store.ts';
import { IpcTransport } from './ipc-transport.ts';
import { buildMenuTemplate } from './menu.ts';
import { notificationFor } from './notifications.ts';
import { QuitFlow } from './quit-flow.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isAllowedExternalUrl,
  PROTOCOL_CHANNEL,
  resolveAppFile,
} from './security.ts';
import { loadWindowState, MIN_SIZE, restoreBounds, saveWindowState } from './window-state.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const WEB_ROOT = join(here, '..', '..', 'web', 'browser');
const PRELOAD = join(here, 'preload.cjs');

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
let backend: Backend | undefined;
let transport: IpcTransport | undefined;

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
  transport?.attach(contents);
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
  const config = readBackendConfig();
  const dataDir = process.env['TROIKA_DATA_DIR'] || app.getPath('userData');
  const keyStore = new ApiKeyStore(join(dataDir, 'api-key.bin'), safeStorage);
  backend = await createBackend({
    config: { ...config, dataDir, apiKey: keyStore.get() ?? config.apiKey },
    host: 'electron',
    // Settings can store a key in the OS keychain; it takes effect on the next start.
    apiKeyWriter: keyStore,
    hostServices: {
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
    },
  });
  backend.events.subscribe((event, data) => {
    if (event !== 'agent.state' || !Notification.isSupported()) return;
    const note = notificationFor(data as Parameters<typeof notificationFor>[0]);
    if (!note) return;
    new Notification({ title: note.title, body: note.body }).show();
    const window = BrowserWindow.getAllWindows()[0];
    if (note.urgent && window && !window.isFocused()) window.flashFrame(true);
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(process.platform, { openDataFolder: () => void shell.openPath(dataDir) }),
    ),
  );
  transport = new IpcTransport(backend, log);
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
  busyAgents: () => backend?.busyAgents() ?? 0,
  confirm: async (busy) => {
    const { response } = await dialog.showMessageBox({
      type: 'question',
      buttons: ['Stop agents and quit', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: `${busy} agent${busy === 1 ? ' is' : 's are'} still at work.`,
      detail: 'Quitting stops them cleanly; their transcripts are kept and can be resumed later.',
    });
    return response === 0;
  },
  shutdown: async () => {
    transport?.dispose();
    await backend?.dispose();
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
  log(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
