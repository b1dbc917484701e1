// Text that came from a template (file names, logical IDs, parameter values, reasons) is shown, never obeyed: a
// terminal must not run its escape sequences, a CI log must not read a line of it as a command.

/**
 * C0 controls (new lines and tabs too: one finding stays one line), DEL, C1 controls, the Unicode line
 * separators, and the bidirectional controls that make text read in another order than it runs (Trojan Source).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same but C0, which JSON.stringify escapes itself (and whose new lines lay a document out). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const visible = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `ESC[2J` → `\u001b[2J`: every unsafe character shown as a visible escape. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * A line GitHub Actions would read as a workflow command (`::error …`, after leading white space) gets its
 * first colon escaped. Applied to every line the text format writes.
 */
export function guardLineStart(line: string): string {
  const start = line.length - line.trimStart().length;
  return line.startsWith('::', start) ? `${line.slice(0, start)}\\u003a${line.slice(start + 1)}` : line;
}

/** Text of unknown origin (an error message that may quote a path or a value) as safe lines. */
export function safeLines(text: string): string {
  return text
    .split('\n')
    .map((line) => guardLineStart(escapeControls(line)))
    .join('\n');
}

/**
 * The same characters as `\u` escapes inside a JSON document, where they can only sit in strings: JSON.stringify
 * escapes C0 itself but writes DEL, C1, line separators and bidirectional controls raw.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(UNSAFE_IN_JSON, visible);
}
