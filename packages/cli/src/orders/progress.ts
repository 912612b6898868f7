import { formatTimestamp } from '@tbkit/core'
import type { TextOutput } from '../io.js'

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

function terminalProgress(out: TextOutput): Progress {
  let note = ''
  const draw = (s: ProgressState) => {
    const filled = s.windowsTotal === 0 ? BAR_WIDTH : Math.round((s.windowsDone / s.windowsTotal) * BAR_WIDTH)
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled)
    out.write(`\r\x1b[K${bar} ${counts(s)}${note ? `  ${note}` : ''}`)
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
      out.write(`retrying in ${delayMs} ms: ${reason}\n`)
    },
    finish(s) {
      out.write(`finished: ${counts(s)}\n`)
    },
  }
}
