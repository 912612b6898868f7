#!/usr/bin/env node
// Usage: node scripts/run-quietly.mjs <label> <command> [args…]
//
// Runs a command with its output captured, and prints one line instead: what
// `npm start` shows while it builds, so the demo is what you see. The captured
// output is printed only when the command fails (then its exit code is kept).
import { spawn } from 'node:child_process'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const [label, command, ...args] = process.argv.slice(2)
if (!label || !command) {
  process.stderr.write('usage: node scripts/run-quietly.mjs <label> <command> [args…]\n')
  process.exit(2)
}

const root = fileURLToPath(new URL('..', import.meta.url))
// The repository's own tools (turbo, tsup) come first, as under `npm run`.
const PATH = [join(root, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter)
const started = Date.now()
const live = process.stderr.isTTY === true
if (live) process.stderr.write(`${label}… (its output is shown only if it fails)`)

const output = []
const child = spawn(command, args, {
  cwd: root,
  env: { ...process.env, PATH, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: live ? '1' : '0' },
  stdio: ['ignore', 'pipe', 'pipe'],
  // npm's .bin entries are .cmd files on Windows.
  shell: process.platform === 'win32',
})
child.stdout.on('data', (chunk) => output.push(chunk))
child.stderr.on('data', (chunk) => output.push(chunk))

const code = await new Promise((resolve) => {
  child.on('error', (error) => {
    output.push(Buffer.from(`${command}: ${error.message}\n`))
    resolve(127)
  })
  child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)))
})

const seconds = ((Date.now() - started) / 1000).toFixed(1)
if (live) process.stderr.write('\r\x1b[K')
if (code === 0) {
  process.stderr.write(`${label}: done in ${seconds} s\n`)
} else {
  process.stderr.write(Buffer.concat(output))
  process.stderr.write(`\n${label}: failed (exit ${code}) after ${seconds} s; its full output is above\n`)
}
process.exitCode = code
