/**
 * PowerShell and cmd.exe commands: tokens (windows-tokens.ts) grouped into
 * commands and pipelines, cmdlets and their aliases recognised, and whatever
 * is not Windows-specific (git, python -c, bash -c) handed to commands.ts.
 */
import { checkCommand, commandName, fetches, isFetcher } from './commands.ts';
import type { Stdin } from './scan.ts';
import { MAX_DEPTH, type Arg, type Scan } from './scan.ts';
import { tokenize } from './windows-tokens.ts';

type WindowsDialect = 'powershell' | 'cmd';

/** One level of grouping: the command being read and the pipeline it belongs to. */
interface Frame {
  readonly open: string;
  words: Arg[];
  /** The next word is a redirection target (written) or source (read). */
  redirect: 'write' | 'read' | undefined;
  /** An earlier command in this pipeline downloads something. */
  downloaded: boolean;
  /** The command being read takes the output of one before it. */
  piped: boolean;
  /** Something in this group downloads: `iex (iwr …)`. */
  fetched: boolean;
}

const frame = (open: string): Frame => ({
  open,
  words: [],
  redirect: undefined,
  downloaded: false,
  piped: false,
  fetched: false,
});

/** Words that download text in PowerShell: `(New-Object Net.WebClient).DownloadString(…)`. */
const DOWNLOAD_WORD = /\.Download(?:String|File|Data)$/i;
/** .NET calls that delete: `[IO.Directory]::Delete(…)`, `$item.Delete()`. */
const DOTNET_DELETE = /(?:\.|::)Delete(?:Directory|File)?$/i;

export const analysePowerShell = (source: string, scan: Scan) =>
  analyse(source, scan, 'powershell');
export const analyseCmd = (source: string, scan: Scan) => analyse(source, scan, 'cmd');

function analyse(source: string, scan: Scan, dialect: WindowsDialect): void {
  const stack: Frame[] = [frame('')];
  const top = () => stack[stack.length - 1] as Frame;
  const close = () => {
    const inner = stack.pop() as Frame;
    end(inner, false, scan, dialect);
    top().words.push({
      text: `${inner.open}${inner.fetched ? 'iwr' : ''}…)`,
      literal: false,
      prefix: '',
    });
    top().fetched ||= inner.fetched;
  };
  for (const token of tokenize(source, dialect)) {
    const current = top();
    switch (token.kind) {
      case 'word':
        if (current.redirect === 'write') scan.write(token.arg);
        else if (current.redirect === undefined) current.words.push(token.arg);
        current.redirect = undefined;
        if (DOWNLOAD_WORD.test(token.arg.text)) current.fetched = true;
        break;
      case 'redirect':
        // `2>&1` names no file.
        if (!token.text.includes('&'))
          current.redirect = token.text.includes('<') ? 'read' : 'write';
        break;
      case 'separator':
        end(current, token.text === '|', scan, dialect);
        break;
      case 'embedded':
        scan.nested(dialect, token.text);
        break;
      case 'open':
        if (stack.length >= MAX_DEPTH) {
          scan.hit('unparsable', 'nested too deeply');
          return;
        }
        stack.push(frame(token.text));
        break;
      case 'close':
        if (stack.length > 1) close();
        break;
    }
  }
  while (stack.length > 1) close();
  end(top(), false, scan, dialect);
}

/** The command in `f` is complete: check it, and carry a download along a pipe. */
function end(f: Frame, piped: boolean, scan: Scan, dialect: WindowsDialect): void {
  const stdin: Stdin | undefined = f.downloaded
    ? { kind: 'network' }
    : f.piped
      ? { kind: 'pipe' }
      : undefined;
  const ran = f.words.length > 0 ? check(f.words, scan, dialect, stdin) : undefined;
  if (isFetcher(ran)) f.fetched = true;
  f.downloaded = piped && (f.downloaded || isFetcher(ran));
  f.piped = piped;
  f.words = [];
  f.redirect = undefined;
}

const ALIASES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(['rm', 'del', 'erase', 'rd', 'rmdir', 'ri'].map((a) => [a, 'remove-item'])),
  ...Object.fromEntries(
    ['cd', 'sl', 'chdir', 'pushd', 'push-location'].map((a) => [a, 'set-location']),
  ),
  ...Object.fromEntries(
    ['iwr', 'irm', 'invoke-webrequest', 'invoke-restmethod', 'wget', 'start-bitstransfer'].map(
      (a) => [a, 'curl'],
    ),
  ),
  iex: 'invoke-expression',
  saps: 'start-process',
  start: 'start-process',
  pwsh: 'powershell',
  cp: 'copy-item',
  copy: 'copy-item',
  cpi: 'copy-item',
  xcopy: 'copy-item',
  robocopy: 'copy-item',
};

/** Cmdlets and cmd commands whose path operands are written. */
const WRITERS = new Set([
  'set-content',
  'sc',
  'add-content',
  'ac',
  'out-file',
  'new-item',
  'ni',
  'mkdir',
  'md',
  'clear-content',
  'clc',
  'tee-object',
  'tee',
  'rename-item',
  'ren',
  'rni',
  'move-item',
  'mi',
  'mv',
  'move',
]);

const isSwitch = (arg: Arg) => /^\/[A-Za-z?]$/.test(arg.text) || /^-[A-Za-z]/.test(arg.text);
const operandsOf = (args: readonly Arg[]) => args.filter((a) => !isSwitch(a));
/** `-fo` for `-Force`: PowerShell accepts any unambiguous start of a parameter name. */
const param = (args: readonly Arg[], name: string, shortest: number) =>
  args.some((a) => {
    const text = a.text.toLowerCase().replace(/:.*$/, '');
    return text.length > shortest && `-${name}`.startsWith(text);
  });
const valueOf = (args: readonly Arg[], name: string, shortest: number) => {
  const at = args.findIndex((a) => {
    const text = a.text.toLowerCase();
    return text.length > shortest && `-${name}`.startsWith(text);
  });
  return at < 0 ? undefined : args[at + 1];
};

function check(words: readonly Arg[], scan: Scan, dialect: WindowsDialect, stdin?: Stdin) {
  let w = words;
  // `$x = Remove-Item …`: the right side is a command.
  if (dialect === 'powershell' && !w[0]?.literal && /^[-+*/]?=$/.test(w[1]?.text ?? ''))
    w = w.slice(2);
  const called = w[0]?.text === '&' || (w[0]?.text === '.' && w.length > 1);
  if (called) w = w.slice(1);
  for (const word of w) if (DOTNET_DELETE.test(word.text)) scan.hit('inlineDelete', word.text);
  const head = w[0];
  if (head === undefined) return undefined;
  if (!head.literal) {
    // PowerShell reads `$x -ne 0`, `"$a"`, `(Get-Date).Year` as expressions: only `& $x` runs $x.
    if (dialect === 'powershell' && !called) return undefined;
    scan.hit('unknownCommand', head.text);
    return undefined;
  }
  const base = commandName(head.text);
  const name = ALIASES[base] ?? base;
  const args = w.slice(1);
  switch (name) {
    case 'remove-item':
      if (args.some((a) => /^\/s$/i.test(a.text))) scan.hit('cmdTreeDelete', `${head.text} /s`);
      if (param(args, 'recurse', 1) && param(args, 'force', 2))
        scan.hit('removeItem', `${head.text} ${args.map((a) => a.text).join(' ')}`);
      for (const arg of operandsOf(args)) scan.write(arg);
      return name;
    case 'set-location':
      scan.changeDirectory(operandsOf(args)[0]);
      return name;
    case 'invoke-expression':
      return invokeExpression(args, scan, stdin);
    case 'curl': {
      const out = valueOf(args, 'outfile', 1);
      if (out) scan.write(out);
      return name;
    }
    case 'start-process':
      if (args.some((a) => /^runas$/i.test(a.text))) scan.hit('admin', 'Start-Process -Verb RunAs');
      return name;
    case 'format-volume':
    case 'clear-disk':
    case 'initialize-disk':
    case 'format':
      scan.hit('format', head.text);
      return name;
    case 'powershell':
      return powershell(args, scan, stdin);
    case 'cmd': {
      const at = args.findIndex((a) => /^\/[ck]$/i.test(a.text));
      if (at >= 0) nestedText('cmd', args.slice(at + 1), scan, 'cmd /c');
      return name;
    }
    case 'copy-item': {
      const target = valueOf(args, 'destination', 1) ?? operandsOf(args).at(-1);
      if (target) scan.write(target);
      return name;
    }
  }
  if (WRITERS.has(name)) {
    for (const arg of operandsOf(args)) scan.write(arg);
    return name;
  }
  return checkCommand([{ ...head, text: name }, ...args], scan, stdin);
}

function invokeExpression(args: readonly Arg[], scan: Scan, stdin?: Stdin): string {
  if (stdin?.kind === 'network' || args.some((a) => fetches(a) || DOWNLOAD_WORD.test(a.text)))
    scan.hit('networkScript', 'Invoke-Expression');
  else if (args.length === 0) scan.hit('unknownCode', 'Invoke-Expression of piped text');
  else nestedText('powershell', args, scan, 'Invoke-Expression');
  return 'invoke-expression';
}

function powershell(args: readonly Arg[], scan: Scan, stdin?: Stdin): string {
  const command = args.findIndex((a) => /^-c(?:o(?:m(?:m(?:a(?:n(?:d)?)?)?)?)?)?$/i.test(a.text));
  if (command >= 0) {
    nestedText('powershell', args.slice(command + 1), scan, 'powershell -Command');
    return 'powershell';
  }
  if (args.some((a) => /^-e(?:c|nc|ncodedcommand)?$/i.test(a.text)))
    scan.hit('unknownCode', 'powershell -EncodedCommand');
  else if (operandsOf(args).length === 0 && stdin?.kind === 'network')
    scan.hit('networkScript', '… | powershell');
  else if (operandsOf(args).length === 0 && stdin?.kind === 'pipe')
    scan.hit('unknownCode', '… | powershell');
  return 'powershell';
}

/** Words that together are a command line (`cmd /c …`, `pwsh -c …`, `iex '…'`): read it. */
function nestedText(dialect: WindowsDialect, args: readonly Arg[], scan: Scan, what: string): void {
  if (args.length === 0) return;
  if (args.every((a) => a.literal)) scan.nested(dialect, args.map((a) => a.text).join(' '));
  else scan.hit('unknownCode', `${what} ${args.map((a) => a.text).join(' ')}`);
}
