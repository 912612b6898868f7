import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { expectCleanError, tbk } from './helpers.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
const COMMANDS = ['call', 'convert', 'orders', 'apis', 'describe', 'sign', 'config', 'emulator', 'mcp', 'completion']

describe('tbk basics', () => {
  it('prints its version', async () => {
    const result = await tbk(['--version'])
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' })
  })

  it('prints help with every command and the exit-code table', async () => {
    const result = await tbk(['--help'])
    expect(result.code).toBe(0)
    for (const name of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${name} `, 'm'))
    for (const code of ['0', '1', '2', '3', '4', '5']) expect(result.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'))
    expect(result.stdout).toContain('TBK_APP_SECRET')
  })

  it.each(COMMANDS)('has --help with examples for %s', async (name) => {
    const result = await tbk([name, '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Usage: tbk /)
    expect(result.stdout).toContain('Example')
    expect((await tbk(['help', name])).stdout).toBe(result.stdout)
  })

  it('refuses an unknown command with a suggestion (exit 2)', async () => {
    const result = await tbk(['cal', 'taobao.tbk.tpwd.create'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('tbk: unknown command "cal"\nhint: did you mean tbk call?\n')
  })

  it('refuses an unknown flag with a suggestion (exit 2)', async () => {
    const result = await tbk(['apis', '--serch', 'x'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown flag --serch')
    expect(result.stderr).toContain('did you mean --search?')
    expectCleanError(result.stderr)
  })

  it('refuses a flag without its value (exit 2)', async () => {
    const result = await tbk(['apis', '--role'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--role needs a value')
  })

  it('shows a stack trace only with --debug', async () => {
    const plain = await tbk(['describe', 'taobao.tbk.nope'])
    const debug = await tbk(['describe', 'taobao.tbk.nope', '--debug'])
    expect(plain.code).toBe(3)
    expect(debug.code).toBe(3)
    expectCleanError(plain.stderr)
    expect(debug.stderr).toMatch(/^\s+at /m)
  })
})
