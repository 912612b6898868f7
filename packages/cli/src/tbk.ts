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

// A reader that goes away (`tbk apis | head -1`, `| true`) is not a failure
// of tbk: stop at once, quietly, exit 0 (as `set -o pipefail` scripts expect
// of a listing cut short). Any other output failure (`> /dev/full`, a full
// disk) is one: said in one line, exit 1, no stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    if (stream === process.stdout) process.stderr.write(`tbk: cannot write the output: ${error.code ?? error.message}\n`)
    process.exit(1)
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
