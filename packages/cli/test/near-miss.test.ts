import { describe, expect, it } from 'vitest'
import { tbk } from './helpers.js'

describe('near misses', () => {
  it('a method without the taobao. prefix suggests the catalog method', async () => {
    const result = await tbk(['call', 'tbk.tpwd.create', "url=https://s.click.taobao.com/t?e=abc"], { env: { TBK_APP_KEY: 'k', TBK_APP_SECRET: 's' } })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('did you mean taobao.tbk.tpwd.create?')
  })

  it('orders export -o json suggests --format, not --to', async () => {
    const result = await tbk(['orders', 'export', '-o', 'json'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown flag -o')
    expect(result.stderr).toContain('did you mean --format?')
    expect(result.stderr).not.toContain('--to')
  })

  it('an unknown one-letter flag gets no spelling guess', async () => {
    const result = await tbk(['apis', '-x'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('see --help')
  })
})
