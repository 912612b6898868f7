import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../src', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

describe('@tbkit/core is runtime-agnostic', () => {
  it('imports nothing from node: or node builtins, and uses no Node globals', () => {
    const offenders: string[] = []
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8')
      if (/from\s+['"](node:|fs|path|crypto|http|https|stream|buffer|zlib|os|url)['"/]/.test(text)) offenders.push(`${file}: node import`)
      if (/\brequire\(|\bprocess\.|\bBuffer\./.test(text)) offenders.push(`${file}: Node global`)
    }
    expect(offenders).toEqual([])
  })

  it('has no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(SRC, '../package.json'), 'utf8'))
    expect(pkg.dependencies ?? {}).toEqual({})
  })
})
