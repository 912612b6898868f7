import { formatTimestamp } from '@tbkit/core'
import type { TextOutput } from '../io.js'
import { displayWidth, fitWidth, neutralise } from '../terminal-text.js'

export interface ProgressState {
  windowsDone: number
  windowsTotal: number
  orders: number
  duplicates: number
  rateLimitWaits: number
}

/** Export progress on stderr: one redrawn bar on a terminal, plain lines otherwise (logs, CI). */
export interface Progress {
  /** A page was written; `windowDone` when it finished its window. */
  page(state: ProgressState, window: { start: number; end: number }, windowDone: boolean): void
  rateLimitWait(state: ProgressState, delayMs: number): void
  retry(state: ProgressState, delayMs: number, reason: string): void
  finish(state: ProgressState): void
}

const BAR_WIDTH = 20

export function createProgress(out: TextOutput): Progress {
  return out.isTTY ? terminalProgress(out) : lineProgress(out)
}

function counts(s: ProgressState): string {
  return `windows ${s.windowsDone}/${s.windowsTotal}  orders ${s.orders.toLocaleString('en-US')}  duplicates skipped ${s.duplicates}  rate-limit waits ${s.rateLimitWaits}`
}

/** Assumed when the terminal does not say its width. */
const DEFAULT_COLUMNS = 80
const MIN_BAR_WIDTH = 5

/**
 * The bar is redrawn in place with `\r`: a line wider than the terminal wraps,
 * and every redraw then leaves a line behind (the screen floods). So the line
 * is fitted to the width read at each redraw (the window may be resized), one
 * column short of it (some terminals wrap on the last column): the bar gives
 * way to the counts, then the counts are cut. The bar is ASCII: block
 * characters are double width in many CJK terminals.
 */
function terminalProgress(out: TextOutput): Progress {
  let note = ''
  const draw = (s: ProgressState) => {
    const columns = Math.max(1, (out.columns || DEFAULT_COLUMNS) - 1)
    const text = `${counts(s)}${note ? `  ${neutralise(note)}` : ''}`
    // "[" + bar + "] " around the bar.
    const barWidth = Math.max(MIN_BAR_WIDTH, Math.min(BAR_WIDTH, columns - displayWidth(text) - 3))
    const filled = s.windowsTotal === 0 ? barWidth : Math.round((s.windowsDone / s.windowsTotal) * barWidth)
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`
    out.write(`\r\x1b[K${fitWidth(`${bar} ${text}`, columns)}`)
  }
  return {
    page(s) {
      note = ''
      draw(s)
    },
    rateLimitWait(s, delayMs) {
      note = `(rate limited: waiting ${Math.ceil(delayMs / 1000)} s)`
      draw(s)
    },
    retry(s, delayMs, reason) {
      note = `(retrying in ${delayMs} ms: ${reason})`
      draw(s)
    },
    finish(s) {
      note = ''
      draw(s)
      out.write('\n')
    },
  }
}

function lineProgress(out: TextOutput): Progress {
  return {
    page(s, window, windowDone) {
      if (windowDone) out.write(`window ${formatTimestamp(window.start)} → ${formatTimestamp(window.end)} done: ${counts(s)}\n`)
    },
    rateLimitWait(s, delayMs) {
      out.write(`rate limited: waiting ${Math.ceil(delayMs / 1000)} s (${counts(s)})\n`)
    },
    retry(_s, delayMs, reason) {
      out.write(`retrying in ${delayMs} ms: ${neutralise(reason)}\n`)
    },
    finish(s) {
      out.write(`finished: ${counts(s)}\n`)
    },
  }
}
