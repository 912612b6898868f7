import { spawn } from 'node:child_process'

/**
 * Start a long-running Node child that prints one line when ready (a port,
 * a URL…). Returns that line and a `stop()` that ends it. The child's stdin is
 * a pipe, so it can exit by itself if this process dies.
 */
export async function startChild(script, args = [], { readyTimeoutMs = 30_000, env } = {}) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'], env: env ?? process.env })
  const line = await new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error(`${script}: not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs)
    child.stdout.on('data', (data) => {
      buffered += data
      const newline = buffered.indexOf('\n')
      if (newline >= 0) {
        clearTimeout(timer)
        resolve(buffered.slice(0, newline).trim())
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited with ${code} before it was ready`))
    })
  })
  return {
    line,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill()
      }),
  }
}

/** Run a Node script to completion (bounded) and return its stdout, stderr and wall time. */
export function runNode(args, { timeoutMs = 600_000, cwd, env, execPath = process.execPath } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd, env: env ?? process.env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data) => (stdout += data))
    child.stderr.on('data', (data) => (stderr += data))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      const ms = performance.now() - started
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited with ${code ?? signal}: ${stderr.slice(-2000)}`))
      else resolve({ stdout, stderr, ms })
    })
  })
}

/** The last line of a child's stdout, parsed as JSON. */
export function lastJsonLine(stdout) {
  const lines = stdout.trim().split('\n')
  return JSON.parse(lines[lines.length - 1])
}
