import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './redis-server.js'

/** A real Prometheus server of our own on a free loopback port, scraping the given targets every second. */
export interface PrometheusServer {
  readonly url: string
  /** An instant query through the HTTP API (`/api/v1/query`): the result vector. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>
  stop(): Promise<void>
}

const PROMETHEUS = process.env.PROMETHEUS ?? 'prometheus'

function configFor(targets: readonly string[]): string {
  // YAML by hand: targets are host:port pairs we made, nothing to escape.
  return [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: tbkit',
    '    scrape_interval: 1s',
    '    scrape_timeout: 1s',
    '    static_configs:',
    `      - targets: [${targets.map((target) => `'${target}'`).join(', ')}]`,
    '',
  ].join('\n')
}

async function ready(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) })
    await response.arrayBuffer()
    return response.ok
  } catch {
    return false
  }
}

async function startOn(port: number, dir: string): Promise<PrometheusServer | undefined> {
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, `data-${port}`)}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let log = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-4_000)))
  let exited = false
  let spawnError: Error | undefined
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())))
  child.once('error', (error) => (spawnError = error))
  // At most 30 s: Prometheus replays nothing (a fresh data dir) and is ready in about a second.
  for (let i = 0; i < 150 && !exited && !spawnError; i++) {
    if (await ready(url)) {
      return {
        url,
        async query(promql) {
          const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`, { signal: AbortSignal.timeout(5_000) })
          const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: [] } }
          if (body.status !== 'success' || body.data?.resultType !== 'vector') throw new Error(`Prometheus query ${promql} failed: ${body.error ?? body.status}`)
          return body.data.result
        },
        async stop() {
          if (!exited) child.kill('SIGKILL')
          await exit
        },
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  if (spawnError) throw new Error(`prometheus could not be started (is it installed? .ci/run installs Debian's prometheus): ${spawnError.message}`)
  if (!exited) child.kill('SIGKILL')
  await exit
  // Another process may have taken the port between freePort() and the bind: the caller tries another.
  if (/address already in use/i.test(log)) return undefined
  throw new Error(`prometheus did not become ready on port ${port}:\n${log}`)
}

/** Start Prometheus scraping `targets` (`host:port`, path /metrics) every second; its data lives in a temp dir removed on stop. */
export async function startPrometheus(targets: readonly string[]): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'tbkit-prometheus-'))
  try {
    await writeFile(join(dir, 'prometheus.yml'), configFor(targets))
    for (let attempt = 0; attempt < 3; attempt++) {
      const server = await startOn(await freePort(), dir)
      if (server) {
        return {
          ...server,
          async stop() {
            await server.stop()
            await rm(dir, { recursive: true, force: true })
          },
        }
      }
    }
    throw new Error('prometheus found no free port in 3 tries')
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
