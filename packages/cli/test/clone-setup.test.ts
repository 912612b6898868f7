import { execFileSync, spawn } from 'node:child_process'
import { copyFile, mkdir, readFile, realpath } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_KEY, APP_SECRET, cleanup, DEMO, run, startGateway, tempDir, type Run } from './helpers.js'
import type { Emulator } from '@tbkit/emulator'

// What a newcomer does on a fresh clone: `npm ci && npm start`, then `npx tbk …` from the root.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CLI = fileURLToPath(new URL('..', import.meta.url))
const LINK = join(ROOT, 'node_modules', '.bin', 'tbk')
const RUN_QUIETLY = join(ROOT, 'scripts', 'run-quietly.mjs')

/** Run a command with the user's environment, minus what the enclosing npm/turbo run sets. */
function runCommand(command: string, args: readonly string[], cwd: string): Promise<Run> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(npm_|TURBO_|VITEST|TBK_)/i.test(key)) env[key] = value
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

const lineCount = (text: string) => (text === '' ? 0 : text.replace(/\n$/, '').split('\n').length)

describe('tbk from a clone', () => {
  let gateway: Emulator
  beforeAll(async () => {
    gateway = await startGateway()
  })
  afterAll(async () => {
    await gateway.close()
  })

  it('links node_modules/.bin/tbk to a committed shim, so `npm ci` links it before anything is built', async () => {
    const pkg = JSON.parse(await readFile(join(CLI, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] }
    expect(pkg.bin.tbk).toBe('./bin/tbk.js')
    expect(pkg.files).toContain('bin')
    // Tracked by git: present in a fresh clone, when npm ci links bins (dist/ is git-ignored and built later).
    execFileSync('git', ['ls-files', '--error-unmatch', 'packages/cli/bin/tbk.js'], { cwd: ROOT, stdio: 'ignore' })
    expect(await realpath(LINK)).toBe(await realpath(join(CLI, 'bin', 'tbk.js')))
  })

  it('runs `tbk --version` and `tbk call` through the linked bin, as `npx tbk` does', async () => {
    const version = await run([LINK, '--version'])
    expect(version.stdout.trim()).toBe((JSON.parse(await readFile(join(CLI, 'package.json'), 'utf8')) as { version: string }).version)
    const env = { TBK_ENDPOINT: gateway.url, TBK_APP_KEY: APP_KEY, TBK_APP_SECRET: APP_SECRET }
    const call = await run([LINK, 'call', 'taobao.tbk.tpwd.create', 'url=https://s.click.taobao.com/t?e=abc', '-o', 'json'], { env })
    expect(call.stderr).toBe('')
    expect(call.code).toBe(0)
    expect(JSON.parse(call.stdout).data.password_simple).toMatch(/^￥\w+￥$/)
  })

  it('says how to build when the shim runs before dist/ exists', async () => {
    const dir = await tempDir()
    try {
      await mkdir(join(dir, 'bin'))
      await copyFile(join(CLI, 'bin', 'tbk.js'), join(dir, 'bin', 'tbk.js'))
      const result = await run([join(dir, 'bin', 'tbk.js'), '--version'])
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(/not built yet: run `npm run build` \(or `npm start`\)/)
    } finally {
      await cleanup(dir)
    }
  })
})

describe('npm start', () => {
  it('prints one line for a build that succeeds, and the whole output of one that fails', async () => {
    const ok = await run([RUN_QUIETLY, 'building', process.execPath, '-e', 'console.log("tsup noise"); console.error("more noise")'])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toBe('')
    expect(ok.stderr).toMatch(/^building: done in \d+\.\d s\n$/)

    const failed = await run([RUN_QUIETLY, 'building', process.execPath, '-e', 'console.log("src/x.ts(3,1): error TS2304"); process.exit(3)'])
    expect(failed.code).toBe(3)
    expect(failed.stderr).toContain('src/x.ts(3,1): error TS2304')
    expect(failed.stderr).toMatch(/building: failed \(exit 3\)/)
  })

  it('shows the demo and at most 12 lines more', async () => {
    const demo = await run([DEMO])
    expect(demo.code).toBe(0)
    const start = await runCommand('npm', ['start'], ROOT)
    expect(start.stderr.includes('demo failed') ? start.stderr : '').toBe('')
    expect(start.code).toBe(0)
    const extra = lineCount(start.stdout) + lineCount(start.stderr) - (lineCount(demo.stdout) + lineCount(demo.stderr))
    expect(extra).toBeGreaterThanOrEqual(1) // the build's one line
    expect(extra).toBeLessThanOrEqual(12)
    expect(start.stdout + start.stderr).not.toMatch(/Tasks:|cache (hit|miss|bypass)|Build success|CLI Building/i)
  }, 300_000)
})
