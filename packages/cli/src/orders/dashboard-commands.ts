import { access, rename, rm, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { booleanFlag, stringFlag, type ParsedArgs } from '../args.js'
import { canOpenBrowser, openBrowser } from '../auth/open-browser.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { scrubSecrets } from '../secrets.js'
import { shellQuote } from '../shell-quote.js'
import { neutralise } from '../terminal-text.js'
import { UsageError } from '../usage-error.js'
import { renderReport } from './dashboard/report.js'
import { startDashboardServer } from './dashboard/server.js'
import { ledgerDbKind, openLedgerDb } from './ledger-db.js'

/** `tbk orders dashboard --db DB [--port N] [--no-open]`: serve the page on 127.0.0.1 until Ctrl-C. */
export async function runDashboard(args: ParsedArgs, io: CliIo): Promise<number> {
  const example = 'tbk orders dashboard --db orders.db'
  const spec = dbFlag(args, example)
  const port = portFlag(stringFlag(args, 'port'))
  const db = await openExistingLedger(spec, io.cwd)
  try {
    const server = await startDashboardServer({
      reader: db.store,
      port,
      onError: (error) => io.stderr.write(`tbk: the dashboard could not read the ledger: ${neutralise(scrubSecrets(error instanceof Error ? error.message : String(error)))}\n`),
    })
    try {
      // The URL alone on stdout (scripts read it); the rest on stderr.
      await writeText(io.stdout, `${server.url}\n`)
      await writeText(io.stderr, `tbk: dashboard over ${neutralise(db.label)} at ${server.url} (loopback only; Ctrl-C stops it)\n`)
      if (!booleanFlag(args, 'no-open') && canOpenBrowser(io.env, io.stdout.isTTY === true)) openBrowser(server.url)
      await aborted(io.signal)
    } finally {
      await server.close()
    }
  } finally {
    await db.close()
  }
  return EXIT.ok
}

/** `tbk orders report --db DB --html FILE`: the dashboard as one self-contained HTML file. */
export async function runReport(args: ParsedArgs, io: CliIo): Promise<number> {
  const example = 'tbk orders report --db orders.db --html orders.html'
  const spec = dbFlag(args, example)
  const html = stringFlag(args, 'html')
  if (html === undefined || html === '') throw new UsageError('--html FILE is required: where to write the report', example)
  const db = await openExistingLedger(spec, io.cwd)
  let report: Awaited<ReturnType<typeof renderReport>>
  try {
    report = await renderReport(db.store)
  } finally {
    await db.close()
  }
  if (html === '-') {
    await writeText(io.stdout, report.html)
    return EXIT.ok
  }
  const path = resolve(io.cwd, html)
  // Written beside, then renamed: an interrupted run never leaves half a report under FILE's name.
  const partial = `${path}.partial-${process.pid}`
  try {
    await writeFile(partial, report.html)
    await rename(partial, path)
  } catch (error) {
    await rm(partial, { force: true })
    throw error
  }
  const omitted = report.ordersOmitted > 0 ? ` (the latest ${report.orders}; ${report.ordersOmitted} older ones are in the totals but not searchable)` : ''
  await writeText(io.stderr, `tbk: wrote ${neutralise(path)} (${Buffer.byteLength(report.html)} bytes); its search holds ${report.orders} orders${omitted}\n`)
  return EXIT.ok
}

/**
 * The ledger to look at. Opening a SQLite path creates the file, which suits
 * sync but not a viewer: a mistyped --db would show an empty ledger, so a
 * file that is not there is an error instead.
 */
async function openExistingLedger(spec: string, cwd: string): ReturnType<typeof openLedgerDb> {
  if (ledgerDbKind(spec) === 'sqlite') {
    const path = resolve(cwd, spec)
    const found = await access(path).then(
      () => true,
      () => false,
    )
    if (!found) throw new UsageError(`no ledger at ${neutralise(path)}`, `fill it first: tbk orders sync --db ${neutralise(shellQuote(spec))} --from … --to … (or --demo to try it)`)
  }
  return openLedgerDb(spec, cwd)
}

function dbFlag(args: ParsedArgs, example: string): string {
  const db = stringFlag(args, 'db')
  if (db === undefined || db.trim() === '') throw new UsageError('--db is required: the ledger (a SQLite file or a postgres:// URL) that tbk orders sync fills', example)
  return db
}

/** `--port N`: 1–65535, or 0 / absent for a free port. */
export function portFlag(text: string | undefined): number {
  if (text === undefined) return 0
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) throw new UsageError(`--port must be a port number 0–65535 (0: any free port), got ${JSON.stringify(text)}`, 'tbk orders dashboard --db orders.db --port 8790')
  return Number(text)
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) done()
    else signal.addEventListener('abort', () => done(), { once: true })
  })
}
