import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator, type Emulator } from '@tbkit/emulator'
import { useEmulator } from '@tbkit/test-support'

export const TBK = fileURLToPath(new URL('../dist/tbk.js', import.meta.url))
export const DEMO = fileURLToPath(new URL('../dist/demo.js', import.meta.url))

export const APP_KEY = 'test-app-key'
export const APP_SECRET = 'test-app-secret-4f9a2c'
export const SESSION = 'test-session-7d1e5b90'

if (!existsSync(TBK)) throw new Error(`${TBK} is missing: build the CLI first (npx tsup in packages/cli)`)

export interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  stdin?: string
  cwd?: string
  /** Called once the process is running (to signal it, for example). */
  onSpawn?(child: ChildProcess): void
}

/** Longest a spawned tbk may run before the test kills it (bounded: no test hangs). */
const RUN_LIMIT_MS = 45_000

/**
 * Run the built binary with a clean environment: nothing of the developer's
 * own TBK_* settings or config home leaks in.
 */
export function tbk(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return run([TBK, ...args], options)
}

export function run(argv: readonly string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    // A config home nobody creates, unless the test gives its own.
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: tmpdir(), XDG_CONFIG_HOME: join(tmpdir(), 'tbk-test-no-config') }
    for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value
    const child = spawn(process.execPath, argv, { env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    child.stdin.end(options.stdin ?? '')
    options.onSpawn?.(child)
  })
}

/** A temp directory used as XDG_CONFIG_HOME / working directory, removed by `cleanup`. */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tbk-test-'))
}

export async function cleanup(...dirs: string[]): Promise<void> {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
}

const GATEWAY = { apps: [{ appKey: APP_KEY, appSecret: APP_SECRET, sessions: [SESSION] }], host: '127.0.0.1' } as const

/** A gateway of the test's own (closed by the test), for tests that need one apart from the file's. */
export function startGateway(): Promise<Emulator> {
  return startEmulator(GATEWAY)
}

/** The test file's gateway: started before its tests, cleared after each, closed at the end. */
export function useGateway(): Emulator {
  return useEmulator(GATEWAY)
}

/** Environment pointing tbk at a gateway, with a private config home. */
export function gatewayEnv(gateway: Emulator, configHome: string): Record<string, string> {
  return { XDG_CONFIG_HOME: configHome, TBK_ENDPOINT: gateway.url, TBK_APP_KEY: APP_KEY, TBK_APP_SECRET: APP_SECRET }
}

/** A port on 127.0.0.1 where nothing listens. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** No stack trace lines, and none of the secrets. */
export function expectCleanError(text: string): void {
  if (/^\s+at /m.test(text)) throw new Error(`stderr holds a stack trace:\n${text}`)
  for (const secret of [APP_SECRET, SESSION]) if (text.includes(secret)) throw new Error(`stderr holds a secret:\n${text}`)
}
