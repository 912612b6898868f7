/**
 * Text from a stranger (a gateway's `msg`, a proxy's error page, a socket
 * error) ends up in log lines and terminals. Line breaks there forge log
 * entries; other control characters, ANSI escapes and bidi overrides garble
 * or spoof what is shown. Such characters are written as visible escapes, so
 * the text stays readable and fits on one line.
 */

// C0 controls (tab kept), DEL and C1 controls, line/paragraph separators,
// and every bidi mark, embedding, override and isolate.
// eslint-disable-next-line no-control-regex
const UNSAFE_FOR_DISPLAY = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
// eslint-disable-next-line no-control-regex
const UNSAFE_FOR_DISPLAY_ALL = new RegExp(UNSAFE_FOR_DISPLAY.source, 'g')
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' }

function escapeChar(c: string): string {
  return SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
}

/** `text` safe to show on one line of a log or a terminal (unchanged when it already is). */
export function displaySafe(text: string): string {
  return UNSAFE_FOR_DISPLAY.test(text) ? text.replace(UNSAFE_FOR_DISPLAY_ALL, escapeChar) : text
}
