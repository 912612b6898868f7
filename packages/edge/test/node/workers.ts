import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
export const EXAMPLE_DIR = join(REPO_ROOT, 'examples/worker')
export const WRANGLER = join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js')

/**
 * What workerd prints while a test runs (its stdout and stderr, Workers'
 * `console` included), kept instead of shown: a passing run stays quiet, and
 * a test can assert that nothing went wrong inside the runtime — such as a
 * cache write cut off when the response went out ("Error writing HTTP body").
 */
export class RuntimeOutput {
  readonly lines: string[] = []

  readonly handleRuntimeStdio = (stdout: Readable, stderr: Readable): void => {
    for (const stream of [stdout, stderr]) {
      let partial = ''
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n')
        partial = parts.pop()!
        this.lines.push(...parts.filter((line) => line.trim() !== ''))
      })
    }
  }

  /** Lines that report a failure: errors, uncaught exceptions, cut-off writes. */
  errors(): string[] {
    return this.lines.filter((line) => /error|uncaught|exception|disconnected/i.test(line))
  }
}

export interface WranglerBuild {
  /** The Worker exactly as `wrangler deploy` would upload it. */
  readonly code: string
  /** What wrangler itself reported: "Total Upload: X KiB / gzip: Y KiB". */
  readonly uploadKiB: number
  readonly gzipKiB: number
  readonly output: string
}

const run = promisify(execFile)
let built: Promise<WranglerBuild> | undefined

/** `wrangler deploy --dry-run` of the example (offline: a dry run uploads nothing), once per test file. */
export function buildExampleWithWrangler(): Promise<WranglerBuild> {
  built ??= (async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'tbkit-example-'))
    try {
      const { stdout, stderr } = await run(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir], {
        cwd: EXAMPLE_DIR,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: '1' },
        timeout: 120_000,
      })
      const output = stdout + stderr
      const sizes = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output)
      if (!sizes) throw new Error(`wrangler did not report the upload size:\n${output}`)
      return { code: await readFile(join(outdir, 'index.js'), 'utf8'), uploadKiB: Number(sizes[1]), gzipKiB: Number(sizes[2]), output }
    } finally {
      await rm(outdir, { recursive: true, force: true })
    }
  })()
  return built
}
