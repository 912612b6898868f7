import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { DEMO_APP } from '@tbkit/emulator'
import { describe, expect, it } from 'vitest'
import { DEMO_APP_KEY, DEMO_APP_SECRET } from '../src/demo-credentials.js'
import { TBK, tbk } from './helpers.js'

describe('tbk emulator', () => {
  it("accepts the emulator's demo app by default", () => {
    expect({ appKey: DEMO_APP_KEY, appSecret: DEMO_APP_SECRET }).toEqual({ ...DEMO_APP })
  })

  it("suggests a port clear of wrangler dev's default 8787", async () => {
    const help = await tbk(['emulator', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('tbk emulator --port 8790')
    expect(help.stdout).toContain('TBK_ENDPOINT=http://127.0.0.1:8790/router/rest')
    expect(help.stdout).not.toMatch(/--port 8787|127\.0\.0\.1:8787/)
  })

  it('serves the demo answers (paged search that echoes the query) until SIGINT', async () => {
    const child = spawn(process.execPath, [TBK, 'emulator', '--port', '0'], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'] })
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk
          const found = /at (http:\/\/127\.0\.0\.1:\d+\/router\/rest)/.exec(out)
          if (found) resolve(found[1]!)
        })
        child.once('exit', () => reject(new Error(`tbk emulator exited early: ${out}`)))
      })
      const env = { TBK_ENDPOINT: url, TBK_APP_KEY: '12345678', TBK_APP_SECRET: 'tbkit-demo-secret' }
      const page2 = await tbk(['call', 'taobao.tbk.dg.material.optional.upgrade', 'q=耳机', 'adzone_id=1', 'page_no=2', 'page_size=5', '-o', 'json'], { env })
      expect(page2.stderr).toBe('')
      const result = JSON.parse(page2.stdout) as { total_results: number; result_list: { item_basic_info: { title: string } }[] }
      expect(result.total_results).toBe(120)
      expect(result.result_list.map((item) => item.item_basic_info.title)).toEqual([6, 7, 8, 9, 10].map((n) => `耳机 示例商品 ${n}`))
      const closed = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      child.kill('SIGINT')
      expect(await closed).toBe(0)
    } finally {
      clearTimeout(killer)
      child.kill('SIGKILL')
    }
  })
})
