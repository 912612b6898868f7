import { describe, expect, it } from 'vitest'
import { colourEnabled, paintFor } from '../src/colour.js'
import { tbk } from './helpers.js'

const tty = { isTTY: true }
const pipe = { isTTY: false }

describe('colour', () => {
  it('only on a terminal, never under NO_COLOR or TERM=dumb; FORCE_COLOR turns it on when piped', () => {
    expect(colourEnabled(tty, {})).toBe(true)
    expect(colourEnabled(pipe, {})).toBe(false)
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false)
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false)
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true)
    expect(colourEnabled(pipe, { FORCE_COLOR: '0' })).toBe(false)
    expect(colourEnabled(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false)
  })

  it('paints bold (the demo) and status colours only when enabled', () => {
    expect(paintFor(tty, {}).bold('x')).toBe('\x1b[1mx\x1b[22m')
    expect(paintFor(tty, { NO_COLOR: '1' }).bold('x')).toBe('x')
    expect(paintFor(tty, {}).red('✘')).toBe('\x1b[31m✘\x1b[39m')
  })

  it('colours doctor marks and error prefixes with FORCE_COLOR, and not under NO_COLOR', async () => {
    const coloured = await tbk(['doctor', '--demo'], { env: { FORCE_COLOR: '1' } })
    expect(coloured.stdout).toContain('\x1b[32m✔\x1b[39m credentials:')
    const plain = await tbk(['doctor', '--demo'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })
    expect(plain.stdout).not.toContain('\x1b[')
    const failed = await tbk(['nonsense'], { env: { FORCE_COLOR: '1' } })
    expect(failed.stderr).toMatch(/^\x1b\[31mtbk:\x1b\[39m /)
  })
})
