import type Database from 'better-sqlite3'

/** The longest pause between two tries of the switch to WAL, ms. */
export const MAX_WAL_RETRY_PAUSE_MS = 50

const pauseCell = new Int32Array(new SharedArrayBuffer(4))

/** Blocks the thread for `ms` (better-sqlite3 is synchronous, so opening a store is too). */
function pauseSync(ms: number): void {
  Atomics.wait(pauseCell, 0, 0, ms)
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}

/**
 * Puts the file in WAL mode, waiting at most `busyTimeoutMs` for other
 * connections. Processes that open a new file at the same moment can each
 * hold its read lock while wanting the exclusive lock the switch needs;
 * SQLite then answers one of them SQLITE_BUSY at once instead of calling its
 * busy handler (both waiting would never end), so the busy timeout alone does
 * not cover this. The switch is tried again, after pauses growing from 1 ms
 * to {@link MAX_WAL_RETRY_PAUSE_MS}, until it succeeds or the timeout is spent;
 * then the last SQLITE_BUSY is thrown.
 */
export function enterWalMode(
  db: Pick<Database.Database, 'pragma'>,
  busyTimeoutMs: number,
  now: () => number = Date.now,
  pause: (ms: number) => void = pauseSync,
): void {
  const deadline = now() + busyTimeoutMs
  for (let wait = 1; ; wait = Math.min(wait * 2, MAX_WAL_RETRY_PAUSE_MS)) {
    try {
      db.pragma('journal_mode = WAL')
      return
    } catch (error) {
      const left = deadline - now()
      if (!isBusy(error) || left <= 0) throw error
      pause(Math.min(wait, left))
    }
  }
}
