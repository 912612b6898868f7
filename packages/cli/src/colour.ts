import type { TextOutput } from './io.js'

/**
 * Whether to colour what goes to `out`: a terminal, and the user has not
 * turned colour off (NO_COLOR, https://no-color.org: any non-empty value;
 * TERM=dumb). FORCE_COLOR (non-empty, not 0) turns it on even when piped.
 */
export function colourEnabled(out: Pick<TextOutput, 'isTTY'>, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR) return false
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true
  return out.isTTY === true && env.TERM !== 'dumb'
}

/** SGR styles, each a no-op when colour is off. */
export interface Paint {
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`
const PLAIN: Paint = { bold: (t) => t, dim: (t) => t, red: (t) => t, green: (t) => t, yellow: (t) => t }
const COLOUR: Paint = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) }

/** The styles for one stream. */
export function paintFor(out: Pick<TextOutput, 'isTTY'>, env: Readonly<Record<string, string | undefined>>): Paint {
  return colourEnabled(out, env) ? COLOUR : PLAIN
}
