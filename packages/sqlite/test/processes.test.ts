import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { sqliteLedgerStore } from '../src/index.js'

const run = promisify(execFile)
const WRITER = fileURLToPath(new URL('./writer-process.mjs', import.meta.url))
const OPENER = fileURLToPath(new URL('./opener-process.mjs', import.meta.url))
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('one SQLite file shared by processes', () => {
  it('three processes migrate a new file at once and commit overlapping pages: nothing lost, nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tbkit-sqlite-procs-'))
    dirs.push(dir)
    const file = join(dir, 'ledger.db')
    const names = ['runner-0', 'runner-1', 'runner-2']
    const outputs = await Promise.all(names.map((name, seed) => run(process.execPath, [WRITER, file, name, '30', String(seed)], { timeout: 120_000 })))
    const queued = outputs.map(({ stdout }) => (JSON.parse(stdout) as { queued: number }).queued).reduce((a, b) => a + b, 0)

    // The expected end state, computed from the same formula the writers use.
    const latest = new Map<number, number>()
    const keys = new Set<string>()
    for (let seed = 0; seed < names.length; seed++) {
      for (let p = 0; p < 30; p++) {
        for (let i = 0; i < 20; i++) {
          const n = (p * 7 + i) % 100
          const modifiedMs = 1_000 + ((n * 31 + seed * 17 + p) % 97)
          latest.set(n, Math.max(latest.get(n) ?? 0, modifiedMs))
          keys.add(`${n}:${modifiedMs}`)
        }
      }
    }
    const store = sqliteLedgerStore(file)
    try {
      expect(queued).toBe(keys.size)
      for (const [n, modifiedMs] of latest) {
        const tradeId = String(3_000_000_000_000_000_000n + BigInt(n))
        expect((await store.getOrder(tradeId))?.modifiedMs).toBe(modifiedMs)
      }
      expect((await store.totals()).orders).toBe(latest.size)
      let outbox = 0
      for (let batch = await store.pending(1000); batch.length > 0; batch = await store.pending(1000)) {
        outbox += batch.length
        expect(await store.ack(batch.map((entry) => entry.key))).toBe(batch.length)
      }
      expect(outbox).toBe(keys.size)
      for (const name of names) expect(await store.readCursor({ appKey: '12345678', account: name, kind: 'modified' }, 'page')).toBe('29')
    } finally {
      await store.close()
    }
  })

  it('six processes open the same new files at the same instants: every one gets a WAL store', async () => {
    // Started together, the openers meet inside the switch to WAL, where SQLite answers SQLITE_BUSY
    // without waiting (each holds the read lock the other must see gone). Without the retry in
    // wal-mode.ts this test failed in each of 4 runs.
    const dir = mkdtempSync(join(tmpdir(), 'tbkit-sqlite-open-'))
    dirs.push(dir)
    const files = 12
    const args = [OPENER, dir, String(files), String(Date.now() + 700), '120']
    const outputs = await Promise.all(Array.from({ length: 6 }, () => run(process.execPath, args, { timeout: 60_000 })))
    expect(outputs.map(({ stdout }) => stdout)).toEqual(Array(6).fill('opened'))
    const Database = (await import('better-sqlite3')).default
    for (let f = 0; f < files; f++) {
      const db = new Database(join(dir, `ledger-${f}.db`), { readonly: true })
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      } finally {
        db.close()
      }
    }
  })

  it('refuses bad options before opening anything', () => {
    expect(() => sqliteLedgerStore(':memory:', { busyTimeoutMs: -1 })).toThrow(RangeError)
    expect(() => sqliteLedgerStore(':memory:', { synchronous: 'off' as 'full' })).toThrow(RangeError)
  })
})
