import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { RESULT_MARKER } from '../scenario/report.mjs'

export interface CheckResult {
  check: string
  signMethod: string
  ok: boolean
  ms: number
  detail: string
}

export interface RuntimeRun {
  /** The runtime and its version, as it reports itself. */
  runtime: string
  results: CheckResult[]
  /** Wall time of the run, start-up included. */
  wallMs: number
}

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))
export const scenarioFile = (name: string) => fileURLToPath(new URL(`../scenario/${name}`, import.meta.url))

// Nothing may reach the network: no update checks, no telemetry.
const QUIET_ENV = { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', DO_NOT_TRACK: '1', NO_COLOR: '1' }

/** Run an entry in a child process and read its marked result line. */
export function runProcess(command: string, args: readonly string[], config: unknown, timeoutMs = 60_000): Promise<RuntimeRun> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: PACKAGE_DIR,
      env: { ...process.env, ...QUIET_ENV, TBKIT_RUNTIME_MATRIX: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER))
      if (code !== 0 || !line) {
        reject(new Error(`${command} ${args.join(' ')} exited ${code ?? signal} without results\n${stdout}\n${stderr}`.trim()))
        return
      }
      resolve({ ...(JSON.parse(line.slice(RESULT_MARKER.length)) as Omit<RuntimeRun, 'wallMs'>), wallMs: Date.now() - started })
    })
  })
}

/** workerd's compatibility date: within what the installed workerd supports (as packages/edge's tests). */
const COMPATIBILITY_DATE = '2026-04-01'

/**
 * Run the scenario inside workerd: bundled as wrangler bundles a Worker
 * (the workerd/worker/browser conditions resolve @tbkit/edge), run by
 * Miniflare without nodejs_compat, and sent the config in a request.
 */
export async function runWorkerd(config: unknown): Promise<RuntimeRun> {
  const started = Date.now()
  const bundle = await build({
    entryPoints: [scenarioFile('worker-entry.mjs')],
    absWorkingDir: PACKAGE_DIR,
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'silent',
  })
  const worker = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    compatibilityDate: COMPATIBILITY_DATE,
    cf: false,
  })
  try {
    const response = await worker.dispatchFetch('http://matrix.local/', { method: 'POST', body: JSON.stringify(config) })
    if (!response.ok) throw new Error(`workerd answered ${response.status}: ${await response.text()}`)
    const run = (await response.json()) as Omit<RuntimeRun, 'wallMs'>
    // Inside, workerd only says "Cloudflare-Workers"; its version is that of Miniflare's workerd package.
    const workerd = createRequire(createRequire(import.meta.url).resolve('miniflare'))('workerd/package.json') as { version: string }
    return { ...run, runtime: `workerd ${workerd.version}`, wallMs: Date.now() - started }
  } finally {
    await worker.dispose()
  }
}
