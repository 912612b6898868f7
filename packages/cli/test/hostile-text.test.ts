import { createServer, type Server } from 'node:http'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { neutralise } from '../src/terminal-text.js'
import { renderTable } from '../src/output.js'
import { APP_KEY, APP_SECRET, cleanup, expectCleanError, tbk, tempDir } from './helpers.js'

const gateway = useEmulator({ apps: [{ appKey: APP_KEY, appSecret: APP_SECRET }], host: '127.0.0.1' })
const TPWD = 'taobao.tbk.tpwd.create'
const URL_PARAM = 'url=https://s.click.taobao.com/t?e=abc'

/** What a hostile gateway or proxy may put in any string: ANSI escapes, CR/LF (forged log lines), bidi overrides, C1 controls. */
const ANSI = '\x1b[31m\x1b]0;owned\x07'
const FORGED = '\r\ntbk: all good\n'
const BIDI = '\u202Egnp.exe\u2066\u200F'
const C1 = '\u009b2J'
/** Anything a terminal would act on rather than print. */
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

let home: string
beforeEach(async () => {
  if (home) await cleanup(home)
  home = await tempDir()
})
afterAll(async () => cleanup(home))

const env = (endpoint = gateway.url) => ({ XDG_CONFIG_HOME: home, TBK_ENDPOINT: endpoint, TBK_APP_KEY: APP_KEY, TBK_APP_SECRET: APP_SECRET })

describe('neutralise', () => {
  it('shows control, C1 and bidi characters as visible escapes', () => {
    expect(neutralise(`a${ANSI}b`)).toBe('a\\u001b[31m\\u001b]0;owned\\u0007b')
    expect(neutralise(FORGED)).toBe('\\r\\ntbk: all good\\n')
    expect(neutralise(BIDI)).toBe('\\u202egnp.exe\\u2066\\u200f')
    expect(neutralise(C1)).toBe('\\u009b2J')
    expect(neutralise('\u2028\u2029\u061c\x7f\x00')).toBe('\\u2028\\u2029\\u061c\\u007f\\u0000')
  })
  it('leaves ordinary text, tabs, Chinese and emoji alone', () => {
    const text = '淘口令 ￥AbCd1234￥ price\t12.50 🎁 «ok» — done'
    expect(neutralise(text)).toBe(text)
  })
  it('makes table cells and headers safe, one row per line', () => {
    const table = renderTable([{ [`ti${ANSI}tle`]: `x${FORGED}${BIDI}${C1}` }], false)
    expect(table).not.toMatch(RAW)
    expect(table.split('\n').filter(Boolean)).toHaveLength(2)
  })
})

describe('gateway text on stderr', () => {
  it('msg, sub_code and sub_msg with escapes, CR/LF and bidi overrides: shown escaped, one message line plus the hint (exit 4)', async () => {
    gateway.handle(TPWD, () => ({ error: { code: 15, msg: `Remote service error${FORGED}`, sub_code: `isv.bad${BIDI}`, sub_msg: `boom${ANSI}${C1}` } }))
    for (const debug of [[], ['--debug']]) {
      const result = await tbk(['call', TPWD, URL_PARAM, ...debug], { env: env() })
      expect(result.code).toBe(4)
      expect(result.stderr).not.toMatch(RAW)
      expect(result.stderr).not.toMatch(/^tbk: all good/m)
      expect(result.stderr).toContain('\\r\\ntbk: all good\\n')
      expect(result.stderr).toContain('isv.bad\\u202egnp.exe')
      expect(result.stderr).toContain('boom\\u001b[31m')
      if (debug.length === 0) {
        expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(2)
        expectCleanError(result.stderr)
      }
    }
  })

  it('a request_id with a forged line is shown escaped', async () => {
    const server = await rawGateway(
      JSON.stringify({ error_response: { code: 15, msg: 'Remote service error', sub_code: 'isp.x', sub_msg: 'x', request_id: `abc${FORGED}${ANSI}` } }),
    )
    try {
      const { port } = server.address() as { port: number }
      const result = await tbk(['call', TPWD, URL_PARAM], { env: env(`http://127.0.0.1:${port}/router/rest`) })
      expect(result.code).toBe(4)
      expect(result.stderr).not.toMatch(RAW)
      expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(2)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})

describe('result strings in text output', () => {
  const hostile = { data: { model: `m${ANSI}`, password_simple: `￥Ab${BIDI}￥`, content: `line1${FORGED}${C1}` } }

  it('-o table neutralises them; -o json keeps them exact', async () => {
    gateway.handle(TPWD, () => hostile)
    const table = await tbk(['call', TPWD, URL_PARAM, '-o', 'table', '--columns', 'data.model,data.password_simple,data.content'], { env: env() })
    expect(table.code).toBe(0)
    expect(table.stdout).not.toMatch(RAW)
    expect(table.stdout).toContain('m\\u001b[31m\\u001b]0;owned\\u0007')
    expect(table.stdout).toContain('￥Ab\\u202egnp.exe\\u2066\\u200f￥')
    expect(table.stdout.split('\n').filter(Boolean)).toHaveLength(2)

    const json = await tbk(['call', TPWD, URL_PARAM, '-o', 'json'], { env: env() })
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject(hostile)
    const ndjson = await tbk(['call', TPWD, URL_PARAM, '-o', 'ndjson'], { env: env() })
    expect(JSON.parse(ndjson.stdout)).toMatchObject(hostile)
  })

  it('-o table over a list: every row one line, keys from the answer neutralised too', async () => {
    gateway.handle(TPWD, () => ({ results: [{ [`k${ANSI}`]: `a${FORGED}` }, { [`k${ANSI}`]: `b${BIDI}` }] }))
    const table = await tbk(['call', TPWD, URL_PARAM, '-o', 'table'], { env: env() })
    expect(table.code).toBe(0)
    expect(table.stdout).not.toMatch(RAW)
    expect(table.stdout.split('\n').filter(Boolean)).toHaveLength(3)
  })
})

function rawGateway(body: string): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' })
      response.end(body)
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
