import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MarkerParser } from './osc-markers.ts';
import { quoteFor, sourceLine, typeable, wrappedLine } from './shell-commands.ts';

const dir = mkdtempSync(join(tmpdir(), "troika-cmd-'q-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The exit code the wrapper's end marker reports, running `line` in a real shell. */
function reported(shell: string, args: string[], line: string): number | undefined {
  let output: string;
  try {
    output = execFileSync(shell, [...args, line], { encoding: 'utf8' });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? '');
  }
  const end = new MarkerParser().push(output).find((p) => p.kind === 'marker' && p.code === 'D');
  return end?.kind === 'marker' ? end.exitCode : undefined;
}

describe('typed command lines', () => {
  test('short plain commands are typed; control characters and long ones are not', () => {
    assert.equal(typeable('echo hi'), true);
    assert.equal(typeable('echo a\necho b'), false);
    assert.equal(typeable('printf "\t"'), false);
    assert.equal(typeable('x'.repeat(1_001)), false);
  });

  test('quoting keeps a path with quotes and backslashes one word in each dialect', () => {
    assert.equal(quoteFor('posix', "/a b/it's"), `'/a b/it'\\''s'`);
    assert.equal(quoteFor('fish', "/a\\b/it's"), `'/a\\\\b/it\\'s'`);
    assert.equal(quoteFor('powershell', "C:\\it's"), `'C:\\it''s'`);
  });

  test('fish sources with `source`, the others with `.`', () => {
    assert.equal(sourceLine('fish', '/s/c.fish'), `source '/s/c.fish'`);
    assert.equal(sourceLine('posix', '/s/c.sh'), `. '/s/c.sh'`);
    assert.equal(sourceLine('powershell', 'C:\\s\\c.ps1'), `. 'C:\\s\\c.ps1'`);
  });

  for (const [dialect, shell, args, ext] of [
    ['posix', '/bin/sh', ['-c'], 'sh'],
    ['fish', '/usr/bin/fish', ['--no-config', '-c'], 'fish'],
  ] as const) {
    test(`the ${dialect} wrapper reports the script's exit status (run by ${shell})`, () => {
      for (const code of [0, 1, 42]) {
        const file = join(dir, `exit-${code}.${ext}`);
        writeFileSync(file, `echo out\nsh -c 'exit ${code}'\n`);
        assert.equal(reported(shell, [...args], wrappedLine(dialect, file)), code);
      }
    });
  }

  test('the fish wrapper reads $status, the POSIX one "$?"', () => {
    assert.match(
      wrappedLine('fish', '/f.fish'),
      /source '\/f\.fish'; printf '\\e\]633;D;%s\\a' \$status$/,
    );
    assert.match(
      wrappedLine('posix', '/f.sh'),
      /\. '\/f\.sh'; printf '\\033\]633;D;%s\\007' "\$\?"$/,
    );
  });

  test('the PowerShell wrapper reports a native exit code, a failed cmdlet as 1, success as 0', () => {
    const line = wrappedLine('powershell', 'C:\\t\\command-1.ps1');
    // No stale status from an earlier native program: reset before the script runs.
    assert.ok(line.startsWith('$global:LASTEXITCODE = 0; '));
    const run = line.indexOf(`. 'C:\\t\\command-1.ps1'; $__troika_ok = $?;`);
    assert.ok(run > line.indexOf("']633;C'"), 'the start marker comes before the script');
    assert.match(
      line,
      /\$__troika_s = if \(\$global:LASTEXITCODE\) \{ \$global:LASTEXITCODE \} elseif \(\$__troika_ok\) \{ 0 \} else \{ 1 \}/,
    );
    assert.ok(line.endsWith(`Write-Host -NoNewline ([char]27+']633;D;'+$__troika_s+[char]7)`));
    // Windows PowerShell 5.1 knows no `e escape.
    assert.equal(line.includes('`e'), false);
  });
});
