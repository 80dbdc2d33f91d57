/**
 * The shell a new terminal runs, per OS: Windows PowerShell (through ConPTY),
 * macOS the user's login shell, Linux `$SHELL` or bash.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';

export interface ShellSpec {
  file: string;
  args: string[];
}

export interface ShellEnvironment {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  exists: (file: string) => boolean;
  loginShell: () => string | undefined;
}

const defaultEnvironment: ShellEnvironment = {
  platform: process.platform,
  env: process.env,
  exists: existsSync,
  loginShell: () => {
    try {
      return userInfo().shell ?? undefined;
    } catch {
      return undefined;
    }
  },
};

export function defaultShell(environment: ShellEnvironment = defaultEnvironment): ShellSpec {
  const { platform, env, exists, loginShell } = environment;
  if (platform === 'win32') {
    const root = env['SystemRoot'] ?? 'C:\\Windows';
    const pwsh7 = `${env['ProgramFiles'] ?? 'C:\\Program Files'}\\PowerShell\\7\\pwsh.exe`;
    const file = exists(pwsh7)
      ? pwsh7
      : `${root}\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`;
    return { file, args: ['-NoLogo'] };
  }
  if (platform === 'darwin') {
    const file = loginShell() ?? env['SHELL'] ?? '/bin/zsh';
    return { file, args: ['-l'] };
  }
  const candidates = [env['SHELL'], '/bin/bash', '/usr/bin/bash', '/bin/sh'];
  const file = candidates.find((c): c is string => Boolean(c) && exists(c as string)) ?? '/bin/sh';
  return { file, args: [] };
}
