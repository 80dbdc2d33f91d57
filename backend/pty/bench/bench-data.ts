/**
 * The benchmark's stream: terminal output as a build or a test run prints it
 * (log lines, colours, some non-ASCII), one block repeated to the size wanted.
 */

/** Size of the repeated block; large enough that its lines vary, small enough to pass to the page. */
const BLOCK_BYTES = 64 * 1024;

export function benchBlock(): string {
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < BLOCK_BYTES; i++) {
    const level =
      i % 7 === 0
        ? '\x1b[33mWARN\x1b[0m'
        : i % 13 === 0
          ? '\x1b[31mERROR\x1b[0m'
          : '\x1b[32mINFO\x1b[0m';
    const extra = i % 5 === 0 ? ' — résumé ✓ 漢字' : '';
    const line = `[${String(i).padStart(6, '0')}] ${level} src/module-${i % 97}/file-${i % 31}.ts:${i % 400} compiled in ${(i * 37) % 1000} ms${extra}\n`;
    lines.push(line);
    bytes += Buffer.byteLength(line);
  }
  return lines.join('');
}
