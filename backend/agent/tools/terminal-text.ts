/**
 * Turns raw terminal output into plain text for the model: no colours or
 * cursor movement, `\r\n` as `\n`, and a line rewritten with `\r` (a progress
 * bar) reduced to what it finally showed.
 */

// CSI sequences, OSC sequences (BEL or ST terminated), other two-byte escapes.
/* eslint-disable no-control-regex -- escape sequences are made of control characters */
const ANSI =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\x1b[()][0-9A-Za-z]/g;
const OTHER_CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
/* eslint-enable no-control-regex */

export function terminalToText(raw: string): string {
  const text = raw.replace(ANSI, '').replace(/\r+\n/g, '\n');
  return text
    .split('\n')
    .map((line) => {
      const parts = line.split('\r');
      return (parts.at(-1) === '' && parts.length > 1 ? parts.at(-2) : parts.at(-1)) ?? '';
    })
    .join('\n')
    .replace(OTHER_CONTROLS, '');
}
