#!/usr/bin/env node
import { runCli } from './run.js'

// Ctrl-C or a TERM aborts the running command, which stops cleanly (closes
// files and servers) and exits 130; a second Ctrl-C exits at once.
const controller = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130)
    controller.abort(new Error(`received ${signal}`))
  })
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // Touching process.stdin opens it; only commands that read stdin should.
  get stdin() {
    return process.stdin
  },
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
})
