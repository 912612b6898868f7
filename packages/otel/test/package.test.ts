import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as otel from '../src/index.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

describe('package', () => {
  it('names its own version as the instrumentation scope version', () => {
    expect(otel.OTEL_VERSION).toBe(pkg.version)
  })

  it('exports exactly these runtime names', () => {
    expect(Object.keys(otel).sort()).toEqual(['ATTR', 'METRIC', 'OTEL_VERSION', 'RPC_SYSTEM', 'SCOPE_NAME', 'errorTypeOf', 'openTelemetry'])
  })

  it('depends on the OpenTelemetry API alone, and core it plugs into (both peers: one copy each in an app)', () => {
    expect(pkg.dependencies ?? {}).toEqual({})
    expect(Object.keys(pkg.peerDependencies ?? {}).sort()).toEqual(['@opentelemetry/api', '@tbkit/core'])
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      const code = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')
      const imported = [...code.matchAll(/(?:from\s*|require\()\s*["']([^"']+)["']/g)].map((match) => match[1])
      expect(new Set(imported), file).toEqual(new Set(['@opentelemetry/api', '@tbkit/core']))
    }
  })

  it('refuses options that are not providers', () => {
    expect(() => otel.openTelemetry({ tracerProvider: {} as never })).toThrow(/tracerProvider/)
    expect(() => otel.openTelemetry({ meterProvider: 42 as never })).toThrow(/meterProvider/)
    expect(() => otel.openTelemetry(null as never)).toThrow(/options/)
  })
})
