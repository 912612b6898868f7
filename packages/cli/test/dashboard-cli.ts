import { spawn, type ChildProcess } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TBK, tbk } from './helpers.js'

/** The totals a page shows, as fen strings (what `data-fen` and the API carry). */
export interface Totals {
  orders: string
  alipayTotalFen: string
  pubSharePreFen: string
  pubShareFen: string
}

/** `"123.45"` → 12345n: the stats' exact decimal strings, back to fen without a float. */
export function fenOf(yuan: string): bigint {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(yuan)
  if (!match) throw new Error(`not a money string: ${yuan}`)
  const fen = BigInt(match[2]!) * 100n + BigInt(match[3]!)
  return match[1] ? -fen : fen
}

/** The ledger's totals by `tbk orders stats --by status --json`: its rows summed (every order has one status). */
export async function statsTotals(db: string): Promise<Totals> {
  const byStatus = await tbk(['orders', 'stats', '--db', db, '--by', 'status', '--json'])
  if (byStatus.code !== 0) throw new Error(`tbk orders stats failed: ${byStatus.stderr}`)
  const rows = JSON.parse(byStatus.stdout) as { orders: number; alipay_total_price: string; pub_share_pre_fee: string; pub_share_fee: string }[]
  return {
    orders: String(rows.reduce((sum, row) => sum + row.orders, 0)),
    alipayTotalFen: rows.reduce((sum, row) => sum + fenOf(row.alipay_total_price), 0n).toString(),
    pubSharePreFen: rows.reduce((sum, row) => sum + fenOf(row.pub_share_pre_fee), 0n).toString(),
    pubShareFen: rows.reduce((sum, row) => sum + fenOf(row.pub_share_fee), 0n).toString(),
  }
}

export interface RunningDashboard {
  readonly url: string
  readonly child: ChildProcess
  /** What it wrote to stderr so far. */
  stderr(): string
  /** Ctrl-C; resolves to the exit code. */
  stop(): Promise<number | null>
}

/** `tbk orders dashboard --db DB --no-open` from the built binary, once it printed its URL. */
export async function startDashboardCli(db: string, configDir: string): Promise<RunningDashboard> {
  const child = spawn(process.execPath, [TBK, 'orders', 'dashboard', '--db', db, '--no-open'], {
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), XDG_CONFIG_HOME: join(configDir, 'no-config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no URL from tbk orders dashboard: ${err}`))
    }, 60_000)
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const found = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)
      if (found) {
        clearTimeout(timer)
        resolve(found[1]!)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`tbk orders dashboard exited ${code}: ${err}`))
    })
  })
  return {
    url,
    child,
    stderr: () => err,
    stop() {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode)
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      child.kill('SIGINT')
      return exited
    },
  }
}
