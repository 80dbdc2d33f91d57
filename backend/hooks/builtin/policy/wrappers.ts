/**
 * Commands that run another command given as their arguments (`sudo rm …`,
 * `env X=1 rm …`, `timeout 5 rm …`). The gate looks through them to the
 * command they run. Each entry says where in its arguments that command starts.
 */
import type { Arg } from './scan.ts';

/** Index of the wrapped command in `args`; -1 when there is none (`command -v x`, `sudo -l`). */
type Skip = (args: readonly Arg[]) => number;

/**
 * Skips options (and the values of those in `withValue`), stopping at the
 * first operand or after `--`. `extra` skips further leading operands.
 */
function options(withValue: readonly string[], extra: (arg: Arg) => boolean = () => false): Skip {
  const valued = new Set(withValue);
  return (args) => {
    let i = 0;
    while (i < args.length) {
      const text = (args[i] as Arg).text;
      if (text === '--') return i + 1;
      if (text.startsWith('-') && text.length > 1) i += valued.has(text) ? 2 : 1;
      else if (extra(args[i] as Arg)) i++;
      else return i;
    }
    return -1;
  };
}

const afterOne =
  (skip: Skip): Skip =>
  (args) => {
    const at = skip(args);
    return at < 0 || at + 1 >= args.length ? -1 : at + 1;
  };

const assignment = (arg: Arg) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg.text);

export const WRAPPERS: Readonly<Record<string, Skip>> = {
  sudo: options(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '-R'], assignment),
  doas: options(['-u', '-C']),
  env: options(['-u', '-C', '--unset', '--chdir'], assignment),
  nohup: options([]),
  setsid: options([]),
  nice: options(['-n', '--adjustment']),
  ionice: options(['-c', '-n', '-p', '-t']),
  stdbuf: options(['-i', '-o', '-e']),
  timeout: afterOne(options(['-s', '-k', '--signal', '--kill-after'])),
  time: options(['-f', '-o', '--format', '--output']),
  exec: options(['-a']),
  xargs: options(['-I', '-L', '-n', '-P', '-s', '-d', '-E', '-a', '--arg-file', '--delimiter']),
  command: (args) => {
    const at = options([])(args);
    // `command -v rm` only prints where rm is.
    return args.slice(0, Math.max(at, 0)).some((a) => /^-[a-zA-Z]*[vV]/.test(a.text)) ? -1 : at;
  },
  watch: options(['-n', '-d', '--interval', '--differences']),
  busybox: options([]),
  npx: options(['-p', '--package', '-c', '--call']),
  bunx: options(['-p', '--package']),
  pnpx: options([]),
  wsl: options(['-d', '-u', '--distribution', '--user', '--cd']),
};
