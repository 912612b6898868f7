import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { parseTimestamp } from '@tbkit/core'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { displayWidth } from '../src/terminal-text.js'
import { APP_KEY, APP_SECRET, cleanup, expectCleanError, SESSION, TBK, tbk, tempDir } from './helpers.js'
import { scriptedOrders } from './scripted-orders.js'

const gateway = useEmulator({ apps: [{ appKey: APP_KEY, appSecret: APP_SECRET, sessions: [SESSION] }], host: '127.0.0.1' })
const TPWD = 'taobao.tbk.tpwd.create'
const URL_PARAM = 'url=https://s.click.taobao.com/t?e=abc'
/** Words of the library's API that mean nothing on a command line. */
const LIBRARY_WORDS = /allowInsecureHttp|syncOrders|windowMs|pageSize|call option|Option \w+|fileFrom/

let home: string
beforeEach(async () => {
  if (home) await cleanup(home)
  home = await tempDir()
})
afterAll(async () => cleanup(home))

const env = () => ({ XDG_CONFIG_HOME: home, TBK_ENDPOINT: gateway.url, TBK_APP_KEY: APP_KEY, TBK_APP_SECRET: APP_SECRET })

/** Run a shell pipeline (bash, pipefail) and resolve to its exit code and stderr. */
function pipeline(script: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `set -o pipefail; ${script}`], {
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: home },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
}

const q = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`

describe('a reader that goes away (EPIPE)', () => {
  // The sleep lets the reader exit first, as `true` does in a real shell: tbk's first write meets a closed pipe.
  it.each([
    ['tbk apis | true', `(sleep 0.3; exec node ${q(TBK)} apis) | true`],
    ['tbk --help | true', `(sleep 0.3; exec node ${q(TBK)} --help) | true`],
    ['tbk describe … | true', `(sleep 0.3; exec node ${q(TBK)} describe taobao.tbk.dg.material.optional.upgrade) | true`],
  ])('%s exits 0 and quietly', async (_, script) => {
    const result = await pipeline(`${script} >/dev/null`)
    expect(result).toEqual({ code: 0, stderr: '' })
  })
})

describe('an output that cannot be written', () => {
  it.skipIf(!existsSync('/dev/full'))('tbk apis > /dev/full says so in one line and exits 1 (no stack)', async () => {
    const result = await pipeline(`node ${q(TBK)} apis > /dev/full`)
    expect(result).toEqual({ code: 1, stderr: 'tbk: cannot write the output: ENOSPC\n' })
  })
})

describe('CLI errors in CLI words, with a hint and the right exit code', () => {
  it('a plain-http endpoint to another machine: no library option named (exit 3, nothing sent)', async () => {
    const result = await tbk(['call', TPWD, URL_PARAM, '--endpoint', 'http://gw.example.com/router/rest'], { env: env() })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('tbk: the endpoint http://gw.example.com uses plain http to another machine')
    expect(result.stderr).toMatch(/^hint: use https in --endpoint, TBK_ENDPOINT or the profile/m)
    expect(result.stderr).not.toMatch(LIBRARY_WORDS)
    expect(gateway.requests).toHaveLength(0)
  })

  it('an endpoint that is not a URL (exit 3)', async () => {
    const result = await tbk(['call', TPWD, URL_PARAM], { env: { ...env(), TBK_ENDPOINT: 'gw.example.com/router/rest' } })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('the endpoint "gw.example.com/router/rest" is not a URL')
    expect(result.stderr).not.toMatch(LIBRARY_WORDS)
  })

  it('--window over 3h names the flag, not the library option (a usage error, exit 2)', async () => {
    const out = join(home, 'o.ndjson')
    const result = await tbk(['orders', 'export', '--from', '2024-05-01', '--to', '2024-05-02', '--out', out, '--window', '4h'], { env: env() })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^tbk: --window must be whole seconds from 1s to 3h/)
    expect(result.stderr).toMatch(/^hint: /m)
    expect(result.stderr).not.toMatch(LIBRARY_WORDS)
    expect(gateway.requests).toHaveLength(0)
  })

  it('a session passed as a param points to --session (exit 3, nothing sent, the value not echoed)', async () => {
    const result = await tbk(['call', TPWD, URL_PARAM, `session=${SESSION}`], { env: env() })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('tbk: taobao.tbk.tpwd.create: "session" is a system param tbk sets itself; leave it out of the params')
    expect(result.stderr).toContain('hint: use --session, TBK_SESSION or: tbk config set session')
    expect(result.stderr).not.toMatch(LIBRARY_WORDS)
    expectCleanError(result.stderr)
    expect(gateway.requests).toHaveLength(0)
  })

  it('a system param typed by hand says where it is set (exit 3)', async () => {
    for (const method of [TPWD, 'taobao.tbk.brand.new.api']) {
      // A catalog method, and one the catalog does not know (--untyped, checked by the library).
      const result = await tbk(['call', method, URL_PARAM, 'sign_method=md5', '--untyped'], { env: env() })
      expect(result.code).toBe(3)
      expect(result.stderr).toContain(`tbk: ${method}: "sign_method" is a system param tbk sets itself`)
      expect(result.stderr).toContain('hint: use --sign-method')
      expect(result.stderr).not.toMatch(LIBRARY_WORDS)
    }
    expect(gateway.requests).toHaveLength(0)
  })

  it('a value of the wrong kind is described as typed on a command line (exit 3, nothing sent)', async () => {
    const result = await tbk(['call', 'taobao.tbk.dg.newuser.order.get', 'activity_id=1', 'start_time=yesterday'], { env: env() })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('tbk: taobao.tbk.dg.newuser.order.get: start_time must be a time like "2024-05-01 12:00:00" (GMT+8), got string "yesterday"')
    expect(result.stderr).toContain('hint: see the params with: tbk describe taobao.tbk.dg.newuser.order.get')
    expect(result.stderr).not.toMatch(/a Date/)
    expect(gateway.requests).toHaveLength(0)
  })

  it('--timeout 0s is a usage error before anything is sent (exit 2)', async () => {
    for (const timeout of ['0s', '0', '0ms']) {
      const result = await tbk(['call', TPWD, URL_PARAM, '--timeout', timeout], { env: env() })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`tbk: --timeout must be longer than 0, got "${timeout}"`)
      expect(result.stderr).toContain('hint: e.g. --timeout 30s')
    }
    const huge = await tbk(['call', TPWD, URL_PARAM, '--timeout', '30d'], { env: env() })
    expect(huge.code).toBe(2)
    const tooLong = await tbk(['call', TPWD, URL_PARAM, '--timeout', '700h'], { env: env() })
    expect(tooLong.code).toBe(2)
    expect(tooLong.stderr).toContain('--timeout must be at most 24 days')
    expect(gateway.requests).toHaveLength(0)
  })

  it('an endpoint without /router/rest that answers 404 gets a hint naming the right URL (exit 5)', async () => {
    const origin = new URL(gateway.url).origin
    const result = await tbk(['call', TPWD, URL_PARAM], { env: { ...env(), TBK_ENDPOINT: `${origin}/` } })
    expect(result.code).toBe(5)
    expect(result.stderr).toMatch(/HTTP 404/)
    expect(result.stderr).toContain(`hint: the endpoint ${origin}/ does not end in /router/rest, where TOP gateways answer: did you mean ${origin}/router/rest?`)
    // The same failure at the right path keeps the ordinary network hint.
    gateway.inject(TPWD, { fault: 'invalid-json' }, { times: Infinity })
    const right = await tbk(['call', TPWD, URL_PARAM, '--untyped'], { env: env() })
    expect(right.code).toBe(5)
    expect(right.stderr).not.toContain('/router/rest, where')
  })

  it('an endpoint without /router/rest that answers HTML with 200 gets the hint too', async () => {
    const server = await htmlServer()
    try {
      const { port } = server.address() as { port: number }
      const result = await tbk(['call', TPWD, URL_PARAM], { env: { ...env(), TBK_ENDPOINT: `http://127.0.0.1:${port}/api` } })
      expect(result.code).toBe(5)
      expect(result.stderr).toContain(`does not end in /router/rest, where TOP gateways answer: did you mean http://127.0.0.1:${port}/router/rest?`)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('a busy port for tbk emulator: which port, and what to do (exit 2)', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = blocker.address() as { port: number }
      const result = await tbk(['emulator', '--port', String(port)])
      expect(result.code).toBe(2)
      expect(result.stderr).toBe(
        `tbk: port ${port} on 127.0.0.1 is already in use (another tbk emulator, or another server)\nhint: pick another with --port N, or leave --port out for any free port\n`,
      )
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })
})

describe('method names', () => {
  it('--untyped sends a near miss as typed (the library typo guard is for library callers)', async () => {
    const result = await tbk(['call', 'taobao.tbk.tpwd.creat', URL_PARAM, '--untyped'], { env: env() })
    expect(gateway.requests).toHaveLength(1)
    expect(result.code).toBe(4)
  })
})

describe('tbk apis', () => {
  it.each([
    ['服务商', 'service-provider'],
    ['推广者', 'promoter'],
    ['公用', 'public'],
    ['service-provider', 'service-provider'],
  ])('--role %s lists %s methods, as the help says', async (role, expected) => {
    const result = await tbk(['apis', '--role', role, '-o', 'json'])
    expect(result.code).toBe(0)
    const rows = JSON.parse(result.stdout) as { role: string }[]
    expect(rows.length).toBeGreaterThan(0)
    expect(new Set(rows.map((row) => row.role))).toEqual(new Set([expected]))
  })

  it('refuses an unknown role with the Chinese names listed and a suggestion (exit 2)', async () => {
    const result = await tbk(['apis', '--role', 'promotor'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('service-provider (服务商)')
    expect(result.stderr).toContain('did you mean --role promoter?')
  })

  it.each([
    ['share password', 'taobao.tbk.tpwd.create'],
    ['red packet', 'taobao.tbk.dg.vegas.send.report'],
    ['gift money', 'taobao.tbk.dg.vegas.tlj.create'],
    ['audience', 'taobao.tbk.sc.ucrowd.create'],
    ['punishment', 'taobao.tbk.dg.punish.order.get'],
    ['short link', 'taobao.tbk.spread.get'],
  ])('--search "%s" finds %s through the English gloss of its Chinese title', async (search, method) => {
    const result = await tbk(['apis', '--search', search, '-o', 'json'])
    expect(result.code).toBe(0)
    expect((JSON.parse(result.stdout) as { method: string }[]).map((row) => row.method)).toContain(method)
  })

  it('--search still narrows: every word must match', async () => {
    const both = JSON.parse((await tbk(['apis', '--search', 'share password', '--role', 'service-provider', '-o', 'json'])).stdout) as { method: string }[]
    expect(both.length).toBeGreaterThan(0)
    for (const row of both) expect(row.method).toMatch(/^taobao\.tbk\.sc\./)
    expect((await tbk(['apis', '--search', 'password zebra'])).stdout).toBe('no API matches\n')
  })
})

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe('the export progress bar at a real terminal', () => {
  // `script` gives tbk a pseudo-terminal of a set width, as a user's terminal would.
  it.skipIf(!hasScript).each([50, 100])('fits a %i-column terminal: no redraw wider than the line, so nothing wraps or floods', async (columns) => {
    const start = parseTimestamp('2024-05-01 00:00:00')!
    gateway.serveOrders(scriptedOrders(start, 2, 200) as unknown as Record<string, unknown>[])
    const out = join(home, 'orders.ndjson')
    const command = [
      `stty cols ${columns} rows 30;`,
      'exec node',
      q(TBK),
      'orders export --from',
      q('2024-05-01 00:00:00'),
      '--to',
      q('2024-05-03 00:00:00'),
      '--page-size 20 --out',
      q(out),
    ].join(' ')
    const transcript = await new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-qefc', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '', HOME: home, ...env() }, stdio: ['pipe', 'pipe', 'pipe'] })
      let text = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
      const timer = setTimeout(() => child.kill('SIGKILL'), 45_000)
      child.on('error', reject)
      child.on('close', (code) => {
        clearTimeout(timer)
        if (code === 0) resolve(text)
        else reject(new Error(`script exited ${code}:\n${text}`))
      })
      child.stdin.end()
    })
    const redraws = transcript.split('\r\x1b[K').slice(1).map((part) => part.replace(/\r?\n[\s\S]*$/, ''))
    expect(redraws.length).toBeGreaterThanOrEqual(16)
    for (const line of redraws) expect(displayWidth(line)).toBeLessThanOrEqual(columns - 1)
    expect(redraws.at(-1)).toMatch(/windows 16\/16/)
  })
})

function htmlServer(): Promise<Server> {
  const server = createServer((socket) => {
    socket.once('data', () => {
      const body = '<html><body>Welcome to nginx!</body></html>'
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`)
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
