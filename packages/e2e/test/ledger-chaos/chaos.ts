import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createOrderLedger, type LedgerStore } from '@tbkit/core'
import { createOrderBook, startEmulator, type Emulator, type OrderBook } from '@tbkit/emulator'
import { compareLedgerWithTruth } from '../ledger-truth.js'

/**
 * The ledger's chaos run: a scripted day of trading (the order book's `day`
 * preset) followed by two runner processes at once, each SIGKILLed at
 * random points and restarted, while the gateway times out, answers 5xx
 * and bans the app (code 7), and (PostgreSQL) the database restarts. The
 * test drives the book's virtual clock: it moves on by one step once every
 * stream's cursor has caught up with it, so a day runs in minutes.
 */

const RUNNER = fileURLToPath(new URL('./runner.mjs', import.meta.url))
const APP = { appKey: '41000021', appSecret: 'ledger-chaos-secret' }
/**
 * How far the clock moves at a time. Every stream completes a pass at each
 * clock value, so a change visible for minChangeGapMs (10 minutes in the
 * day preset) is seen as long as the step is shorter than that; each pass
 * looks back maxVisibilityLagMs + a step, so late-shown changes are read.
 */
const STEP_MS = 8 * 60_000

export interface ChaosOptions {
  /** A SQLite file path or a postgres:// URL. */
  readonly db: string
  /** A reader on the same database, opened by the test. */
  readonly store: LedgerStore
  readonly dir: string
  readonly seed: number
  /** SIGKILLs across the run (at least 10). */
  readonly kills: number
  /** Restart the database once mid-run (PostgreSQL). */
  readonly restartDb?: () => Promise<void>
  readonly log?: (line: string) => void
}

export interface ChaosReport {
  readonly problems: string[]
  readonly kills: number
  readonly faults: number
  readonly dbRestarts: number
  readonly orders: number
  readonly statusChanges: number
  readonly transitions: number
  readonly refundStates: number
  readonly lateOrders: number
  readonly delivered: number
  readonly undelivered: number
  readonly pendingAfter: number
  /** Passes that threw (the database restarted, the lease was fenced) and were tried again. */
  readonly passesRetried: number
  readonly seconds: number
}

function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now()
  const log = options.log ?? (() => {})
  const book: OrderBook = createOrderBook({ preset: 'day', seed: options.seed })
  const emulator: Emulator = await startEmulator({ apps: [APP], orderBook: book, admin: true })
  const rand = random(options.seed)
  const deliveredLog = `${options.dir}/delivered.log`
  const errorLog = `${options.dir}/errors.log`
  if (STEP_MS >= book.bounds.minChangeGapMs) throw new Error('the clock step must be shorter than the book\'s minChangeGapMs')
  const lookbackMs = book.bounds.maxVisibilityLagMs + STEP_MS
  const runners = new Map<string, ChildProcess>()
  const spawnRunner = (holder: string) => {
    const config = {
      db: options.db,
      endpoint: emulator.url,
      adminUrl: emulator.adminUrl,
      ...APP,
      holder,
      lookbackMs,
      leaseTtlMs: 5000,
      timeoutMs: 1500,
      pauseMs: 100,
      startMs: book.bounds.startMs,
      promotions: book.bounds.promotions,
      deliveredLog,
      errorLog,
    }
    const child = spawn(process.execPath, [RUNNER, JSON.stringify(config)], { stdio: ['ignore', 'ignore', 'pipe'] })
    child.stderr!.on('data', (chunk: Buffer) => log(`${holder}: ${chunk.toString().trim()}`))
    runners.set(holder, child)
  }
  const kill = async (holder: string) => {
    const child = runners.get(holder)
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }

  let kills = 0
  let faults = 0
  let dbRestarts = 0
  try {
    spawnRunner('runner-a')
    spawnRunner('runner-b')
    const end = book.bounds.quietAtMs + lookbackMs + STEP_MS
    const steps = Math.ceil((end - book.bounds.startMs) / STEP_MS)
    const killAt = new Set<number>()
    while (killAt.size < options.kills) killAt.add(1 + Math.floor(rand() * (steps - 2)))
    const restartAt = options.restartDb ? Math.floor(steps * (0.3 + rand() * 0.3)) : -1
    const scope = (kind: 'modified' | 'refund' | 'punish') => ({ appKey: APP.appKey, account: 'default', kind })
    const caughtUp = async (at: number) => {
      for (const kind of ['modified', 'refund', 'punish'] as const) {
        const text = await options.store.readCursor(scope(kind), 'follow')
        if (text === undefined) return false
        const cursor = JSON.parse(text) as { until: number; pass: unknown }
        if (cursor.until < at || cursor.pass !== null) return false
      }
      return true
    }
    for (let step = 0; step <= steps; step++) {
      const at = book.clock.now()
      // Wait for every stream to have finished a pass that started at or after the clock's now.
      for (let waited = 0; ; waited++) {
        let ok = false
        try {
          ok = await caughtUp(at)
        } catch {
          ok = false
        }
        if (ok) break
        if (waited > 0 && waited % 600 === 0) log(`step ${step}/${steps}: still waiting at ${new Date(at).toISOString()}`)
        if (waited > 12_000) throw new Error(`the runners did not catch up with ${new Date(at).toISOString()} in 20 minutes`)
        // Not too often: on PostgreSQL each look is three round trips competing with the runners' commits.
        await sleep(100)
      }
      if (killAt.has(step)) {
        const holder = rand() < 0.5 ? 'runner-a' : 'runner-b'
        await kill(holder)
        kills++
        // Restarted after a moment, under the same name: it takes its lease back at once.
        await sleep(Math.floor(rand() * 300))
        spawnRunner(holder)
      }
      if (step === restartAt && options.restartDb) {
        log(`step ${step}: restarting the database`)
        await options.restartDb()
        dbRestarts++
      }
      if (step % 7 === 3) {
        const method = ['taobao.tbk.order.details.get', 'taobao.tbk.order.refund.get', 'taobao.tbk.dg.punish.order.get'][step % 3]!
        const pick = rand()
        if (pick < 0.34) emulator.inject(method, { fault: 'http-502-html' }, { times: 2 })
        else if (pick < 0.67) emulator.inject(method, { fault: 'error-response', code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-app-access-count', sub_msg: 'This ban will last for 1 more seconds' })
        else emulator.inject(method, { fault: 'delay', ms: 1800 })
        faults++
      }
      if (step < steps) book.clock.advance(STEP_MS)
    }
    for (const holder of [...runners.keys()]) await kill(holder)
    log(`day done in ${Math.round((Date.now() - started) / 1000)} s; comparing with the truth`)
    // What the last killed runners committed but never delivered goes out now: redelivery after a crash.
    const drain = createOrderLedger({
      client: { call: () => Promise.reject(new Error('the drain makes no calls')) },
      store: options.store,
      appKey: APP.appKey,
      holder: 'drain',
      leaseTtlMs: 5000,
      onChange(change) {
        appendFileSync(deliveredLog, `${change.key}\n`)
      },
    })
    // The killed runners' outbox lease lapses after its TTL.
    for (let tries = 0; ; tries++) {
      await sleep(500)
      const drained = await drain.deliver()
      if ((await options.store.pending(1)).length === 0 || tries > 40) {
        log(`drained ${drained.delivered}`)
        break
      }
    }

    const compareStarted = Date.now()
    const problems = await compareLedgerWithTruth(options.store, book)
    log(`compared in ${Math.round((Date.now() - compareStarted) / 1000)} s: ${problems.length} problems`)
    // Every change reached onChange at least once, and nothing is left unacknowledged.
    const delivered = new Set(existsSync(deliveredLog) ? readFileSync(deliveredLog, 'utf8').split('\n').filter(Boolean) : [])
    let undelivered = 0
    for (const order of book.truth.orders()) {
      const keys = [
        ...order.transitions.map((t) => `status:${order.trade_id}:${t.tk_status}:${t.modified_ms / 1000}`),
        ...order.refunds.flatMap((r) => r.states.map((s) => `refund:${r.refund_suit_id}:${s.refund_status}:${s.modified_ms / 1000}`)),
        ...order.punishments.flatMap((p) => [...new Set(p.states.map((s) => s.punish_status))].map((s) => `punish:${p.tb_trade_id}:${s}`)),
      ]
      for (const key of keys) if (!delivered.has(key)) undelivered++
    }
    const pendingAfter = (await options.store.pending(100)).length
    const totals = book.truth.totals()
    const runnerErrors = existsSync(errorLog) ? readFileSync(errorLog, 'utf8').split('\n').filter(Boolean).length : 0
    return {
      problems,
      kills,
      faults,
      dbRestarts,
      orders: totals.orders,
      statusChanges: totals.statusChanges,
      transitions: totals.transitions,
      refundStates: totals.refundStates,
      lateOrders: totals.lateOrders,
      delivered: delivered.size,
      undelivered,
      pendingAfter,
      passesRetried: runnerErrors,
      seconds: Math.round((Date.now() - started) / 1000),
    }
  } finally {
    for (const holder of [...runners.keys()]) await kill(holder).catch(() => {})
    await emulator.close()
  }
}
