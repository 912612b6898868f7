import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './redis-server.js'

const run = promisify(execFile)

/** A real PostgreSQL server of our own: a fresh cluster in a temp dir, on a free loopback port. */
export interface PostgresServer {
  readonly port: number
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust auth on loopback: no password). */
  readonly url: string
  /** The URL of another database on this server. */
  urlFor(database: string): string
  /** Stop the server: `fast` (clean shutdown) or `immediate` (as a crash: recovery on the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  /** Start it again on the same port and data. */
  start(): Promise<void>
  /** Stop it and delete its data. */
  destroy(): Promise<void>
}

/** Where Debian's `postgresql` package puts initdb and pg_ctl (they are not on PATH there). */
function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^[0-9]+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : []
  for (const version of versions) if (existsSync(join(root, version, 'bin', 'pg_ctl'))) return join(root, version, 'bin')
  throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl; set PG_BIN). .ci/run installs the Debian package `postgresql`.')
}

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user. */
async function asPostgres(command: string, args: readonly string[]): Promise<void> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]]
  try {
    await run(file, argv, { timeout: 120_000 })
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string }
    throw new Error(`${command} ${args[0] ?? ''} failed: ${(stderr || stdout || String(error)).trim().slice(0, 2000)}`)
  }
}

/**
 * initdb a cluster into a temp dir (owned by `postgres` when we are root),
 * then start it with `pg_ctl` on a free 127.0.0.1 port, its socket in the
 * same temp dir. fsync is off: the data only has to survive the server
 * being stopped or killed, not the machine.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDir()
  const dir = mkdtempSync(join(tmpdir(), 'tbkit-pg-'))
  const data = join(dir, 'data')
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  if (root) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: group } = await run('id', ['-g', 'postgres'])
    chownSync(dir, Number(stdout.trim()), Number(group.trim()))
  }
  await asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'])
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=100`
  const start = () => asPostgres(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options])
  const stop = (mode: 'fast' | 'immediate' = 'fast') => asPostgres(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', mode, '-w', '-t', '60'])
  await start()
  let running = true
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
  return {
    port,
    url: url('postgres'),
    urlFor: url,
    async stop(mode) {
      if (!running) return
      await stop(mode)
      running = false
    },
    async start() {
      if (running) return
      await start()
      running = true
    },
    async destroy() {
      if (running) await stop('immediate').catch(() => {})
      running = false
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
