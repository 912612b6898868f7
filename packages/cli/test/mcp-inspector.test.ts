import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TBK } from './helpers.js'
import { cleanEnv, TASK_TOOLS } from './mcp-helpers.js'

/**
 * The MCP Inspector's CLI (`@modelcontextprotocol/inspector --cli`) against
 * `tbk mcp --demo`. The Inspector is large (~160 MB with its web UI), so it is
 * no dependency: this test fetches it from the npm registry into a cache
 * outside the repository on first run, and skips, saying why, when that fails.
 * 1.x is the last line that runs on Node 20 (2.x needs Node 22.19).
 */
const INSPECTOR = '@modelcontextprotocol/inspector@1.0.3'
const CACHE = process.env.TBK_INSPECTOR_CACHE ?? join(tmpdir(), 'tbkit-mcp-inspector-1.0.3')
const CLI = join(CACHE, 'node_modules', '@modelcontextprotocol', 'inspector', 'cli', 'build', 'cli.js')
const INSTALL_LIMIT_MS = 240_000

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function run(command: string, args: readonly string[], env: Record<string, string>, limitMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ code: -1, stdout, stderr: `${stderr}${error.message}` })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** The Inspector's CLI entry, installed into the cache if need be; or why it cannot be. */
async function inspector(): Promise<{ cli: string } | { reason: string }> {
  if (existsSync(CLI)) return { cli: CLI }
  // Install beside the cache and move it in whole: a concurrent run never sees half an install.
  await mkdir(join(CACHE, '..'), { recursive: true })
  const staging = await mkdtemp(`${CACHE}-installing-`)
  try {
    // The user's own npm set-up (registry, proxy, CA in ~/.npmrc or the environment): the ordinary client, as configured.
    const env = { ...(process.env as Record<string, string>), npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' }
    const install = await run('npm', ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--loglevel=error', INSPECTOR], env, INSTALL_LIMIT_MS)
    if (install.code !== 0) return { reason: `npm could not install ${INSPECTOR} from the registry (exit ${install.code}): ${install.stderr.trim().split('\n').slice(-3).join(' ')}` }
    await rename(staging, CACHE).catch(() => {}) // another run got there first: use theirs
    return existsSync(CLI) ? { cli: CLI } : { reason: `${INSPECTOR} installed without its CLI (cli/build/cli.js)` }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

/** The Inspector's JSON answer on stdout (after its banner, if any). */
function answerOf(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.slice(stdout.indexOf('{'))) as Record<string, unknown>
}

describe('MCP Inspector CLI', () => {
  it('lists the tools of tbk mcp --demo, and calls one', { timeout: INSTALL_LIMIT_MS + 60_000 }, async (context) => {
    const found = await inspector()
    if ('reason' in found) {
      console.warn(`skipped: ${found.reason}`)
      context.skip(found.reason)
      return
    }
    const server = [process.execPath, TBK, 'mcp', '--demo']
    const list = await run(process.execPath, [found.cli, '--cli', ...server, '--method', 'tools/list'], cleanEnv(), 60_000)
    expect(list.code, list.stderr).toBe(0)
    const tools = (answerOf(list.stdout).tools as { name: string; inputSchema: { properties: object } }[])
    expect(tools.map((tool) => tool.name)).toEqual(TASK_TOOLS)
    for (const tool of tools) expect(Object.keys(tool.inputSchema.properties).length).toBeGreaterThan(0)

    const call = await run(process.execPath, [found.cli, '--cli', ...server, '--method', 'tools/call', '--tool-name', 'create_tpwd', '--tool-arg', 'url=https://s.click.taobao.com/t?e=inspector'], cleanEnv(), 60_000)
    expect(call.code, call.stderr).toBe(0)
    const answer = answerOf(call.stdout) as { structuredContent: { tpwd: string }; isError?: boolean }
    expect(answer.isError).toBeFalsy()
    expect(answer.structuredContent.tpwd).toMatch(/^￥\w+￥$/)
  })
})
