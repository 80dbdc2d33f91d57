/**
 * Backend configuration from the environment, read once at start-up. The API
 * keys are read here and handed only to the provider; it never goes into events,
 * logs or the database.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface BackendConfig {
  /** Folder for the database and the cold cache. */
  dataDir: string;
  /** Anthropic API key, or undefined when none is configured. */
  apiKey: string | undefined;
  /** Messages API base URL; undefined means the SDK's default (Anthropic's API). */
  baseURL: string | undefined;
  /** The OpenAI-compatible provider's key (`TROIKA_OPENAI_API_KEY`, else `OPENAI_API_KEY`); local servers need none. Kept like `apiKey`. */
  openaiApiKey?: string | undefined;
}

export interface WebConfig {
  /** 0 asks the OS for a free port. */
  port: number;
  /** Fixed access token (for a stable URL, e.g. behind an SSH tunnel); random per run when unset. */
  token: string | undefined;
}

/** A shorter fixed token would be guessable; random tokens are 32 bytes. */
export const MIN_TOKEN_LENGTH = 32;

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform === 'win32')
    return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Troika');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Troika');
  return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'troika');
}

export function readBackendConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
  return {
    dataDir: env['TROIKA_DATA_DIR'] || defaultDataDir(process.platform, env),
    apiKey: env['ANTHROPIC_API_KEY'] || undefined,
    baseURL: env['ANTHROPIC_BASE_URL'] || undefined,
    openaiApiKey: env['TROIKA_OPENAI_API_KEY'] || env['OPENAI_API_KEY'] || undefined,
  };
}

export function readWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const rawPort = env['TROIKA_PORT'] ?? '0';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`TROIKA_PORT must be a port number from 0 to 65535, got "${rawPort}"`);
  }
  const token = env['TROIKA_TOKEN'] || undefined;
  if (token !== undefined && (token.length < MIN_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token))) {
    throw new Error(
      `TROIKA_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters of [A-Za-z0-9_-]`,
    );
  }
  return { port, token };
}
