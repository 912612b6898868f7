/**
 * Text from outside tbk (gateway messages, result strings, file names) made
 * safe to show on a terminal or in a log: control characters (ANSI escapes,
 * CR/LF that would forge log lines, C1 codes) and the invisible bidi and line
 * separators that reorder or break a line are shown as visible escapes
 * (`\u001b`, `\n`, `\u202e`) rather than acted on. Tabs stay. JSON output does
 * not go through here: it stays exact. The escapes are those of core's
 * `displaySafe` (which already cleans every TopError message), so text shows
 * the same whichever side cleaned it; tbk keeps its own copy because its
 * light paths (`--help`, errors, output) do not load @tbkit/core.
 */
// C0 but tab, DEL and C1, ALM, LRM/RLM, LS/PS, the bidi embeddings/overrides and isolates.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' }

function visible(ch: string): string {
  const named = NAMED[ch]
  if (named) return named
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
}

export function neutralise(text: string): string {
  return text.replace(UNSAFE, visible)
}

/** Neutralise every line of a multi-line text tbk composed itself, keeping its own line breaks. */
export function neutraliseLines(text: string): string {
  return text
    .split('\n')
    .map((line) => neutralise(line))
    .join('\n')
}

/** Cut a one-line text to fit `columns` terminal columns (wide characters count two), marking the cut with `…`. */
export function fitWidth(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text
  if (columns < 1) return ''
  let out = ''
  let width = 0
  for (const ch of text) {
    const w = displayWidth(ch)
    if (width + w > columns - 1) break
    out += ch
    width += w
  }
  return `${out}…`
}

// East Asian wide and full-width characters take two terminal columns.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/

export function displayWidth(text: string): number {
  let width = 0
  // A surrogate pair (emoji) is wide too.
  for (const ch of text) width += ch.length > 1 || WIDE.test(ch) ? 2 : 1
  return width
}
