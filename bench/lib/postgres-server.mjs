// A PostgreSQL cluster of the benchmark's own: initdb into a temp dir (as the
// `postgres` user when run as root: PostgreSQL refuses root), pg_ctl start on
// a free 127.0.0.1 port, fsync off. The same steps as test-support's startPostgres.
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.mjs'

const run = promisify(execFile)

function binDir() {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^[0-9]+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : []
  for (const version of versions) if (existsSync(join(root, version, 'bin', 'pg_ctl'))) return join(root, version, 'bin')
  return undefined
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0
const asPostgres = (command, args) => (isRoot() ? run('runuser', ['-u', 'postgres', '--', command, ...args], { timeout: 120_000 }) : run(command, args, { timeout: 120_000 }))

/** Start a server, or undefined when PostgreSQL is not installed (the row is then skipped). */
export async function startPostgres() {
  const bin = binDir()
  if (bin === undefined) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'tbkit-bench-pg-'))
  if (isRoot()) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim())
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  await asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'])
  const port = await freePort()
  await asPostgres(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await asPostgres(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
