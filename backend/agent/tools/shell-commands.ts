/**
 * The line typed into the agent's shell for a command, per shell dialect.
 * Short plain commands are typed as they are; the rest run from a script file
 * (no line editor can mangle a file), sourced so that `cd` and variables
 * persist. A shell without integration gets the command wrapped so it prints
 * the start and end markers (with the exit status) itself.
 */

/** How commands are typed and wrapped for the model's shell. */
export type ShellDialect = 'posix' | 'fish' | 'powershell';

/** Commands typed as-is when short and plain; others go through a script file. */
export const MAX_TYPED_COMMAND_CHARS = 1_000;

/** Whether `command` can be typed on the line as it is. */
export function typeable(command: string): boolean {
  // eslint-disable-next-line no-control-regex -- a control character (tab, newline) would be interpreted by the line editor
  return command.length <= MAX_TYPED_COMMAND_CHARS && !/[\x00-\x1f\x7f]/.test(command);
}

/** The script file's extension, so the shell (PowerShell especially) accepts it. */
export function scriptExtension(dialect: ShellDialect): string {
  return dialect === 'powershell' ? 'ps1' : dialect === 'fish' ? 'fish' : 'sh';
}

/** `text` as a single-quoted word of the dialect. */
export function quoteFor(dialect: ShellDialect, text: string): string {
  if (dialect === 'powershell') return `'${text.replace(/'/g, "''")}'`;
  // fish allows \' and \\ inside single quotes; POSIX shells have no escapes there.
  if (dialect === 'fish') return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The line that runs script `file` in the current shell (its state persists). */
export function sourceLine(dialect: ShellDialect, file: string): string {
  const quoted = quoteFor(dialect, file);
  return dialect === 'fish' ? `source ${quoted}` : `. ${quoted}`;
}

/**
 * The line that runs script `file` and prints the markers itself, for a shell
 * that does not report them. The exit status is read first thing after the
 * script, before anything else can change it.
 */
export function wrappedLine(dialect: ShellDialect, file: string): string {
  const run = sourceLine(dialect, file);
  if (dialect === 'powershell') {
    // [char]27 rather than `e: Windows PowerShell 5.1 has no `e escape. $LASTEXITCODE is reset first,
    // so a native program's status from an earlier command is not reported for this one; a failed
    // cmdlet (no native status) counts as 1.
    const esc = '[char]27';
    return (
      `$global:LASTEXITCODE = 0; Write-Host -NoNewline (${esc}+']633;C'+[char]7); ${run}; ` +
      `$__troika_ok = $?; $__troika_s = if ($global:LASTEXITCODE) { $global:LASTEXITCODE } elseif ($__troika_ok) { 0 } else { 1 }; ` +
      `Write-Host -NoNewline (${esc}+']633;D;'+$__troika_s+[char]7)`
    );
  }
  if (dialect === 'fish') {
    return `printf '\\e]633;C\\a'; ${run}; printf '\\e]633;D;%s\\a' $status`;
  }
  return `printf '\\033]633;C\\007'; ${run}; printf '\\033]633;D;%s\\007' "$?"`;
}
