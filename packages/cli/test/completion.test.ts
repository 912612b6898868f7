import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { tbk } from './helpers.js'

const hasBash = spawnSync('bash', ['--version']).status === 0

describe('tbk completion', () => {
  it.each(['bash', 'zsh', 'fish'])('%s: commands, flags, config keys and method names', async (shell) => {
    const result = await tbk(['completion', shell])
    expect(result.code).toBe(0)
    for (const word of ['call', 'orders', 'convert', 'taobao.tbk.tpwd.create', 'taobao.tbk.order.details.get', 'dry-run', 'app_secret']) {
      expect(result.stdout).toContain(word)
    }
  })

  it.runIf(hasBash)('completes method names in bash', async () => {
    const script = (await tbk(['completion', 'bash'])).stdout
    const probe = `${script}
COMP_WORDS=(tbk call taobao.tbk.tpwd.cr); COMP_CWORD=2; _tbk; echo "\${COMPREPLY[@]}"
COMP_WORDS=(tbk or); COMP_CWORD=1; _tbk; echo "\${COMPREPLY[@]}"
COMP_WORDS=(tbk call x --dry); COMP_CWORD=3; _tbk; echo "\${COMPREPLY[@]}"
COMP_WORDS=(tbk config set app_s); COMP_CWORD=3; _tbk; echo "\${COMPREPLY[@]}"`
    const result = spawnSync('bash', ['-c', probe], { encoding: 'utf8' })
    expect(result.status).toBe(0)
    expect(result.stdout.split('\n').slice(0, 4)).toEqual(['taobao.tbk.tpwd.create', 'orders', '--dry-run', 'app_secret'])
  })

  it('refuses an unknown shell (exit 2)', async () => {
    const result = await tbk(['completion', 'powershell'])
    expect(result.code).toBe(2)
  })
})
