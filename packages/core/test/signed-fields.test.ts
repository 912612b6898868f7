import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalString, createTopClient, portableCrypto, sign, type Platform, type TopHttpRequest } from '../src/index.js'
import * as full from '../src/client/signed-fields.js'
import * as workerd from '../src/client/signed-fields.workerd.js'
import { recordingPlatform } from './support/recording-platform.js'

const SYSTEM_NAMES = ['method', 'app_key', 'timestamp', 'v', 'format', 'sign_method', 'simplify', 'session', 'partner_id']

/** Names a param may have: anything but a system name, often sorting among them. */
const paramName = fc
  .oneof(fc.constantFrom('a', 'app', 'app_keys', 'fields', 'format_x', 'num_iids', 'q', 'sign_methods', 'timestamp2', 'v1', 'z', '__proto__', 'toString'), fc.string({ minLength: 1, maxLength: 8 }))
  .filter((name) => !SYSTEM_NAMES.includes(name) && name !== 'sign')
const paramValue = fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }), fc.string({ maxLength: 12, unit: 'grapheme' }))

function referenceBody(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')
}

// Both builds' modules give the same text; each keeps its own SystemFields shape.
const variants: [string, typeof full][] = [
  ['signed-fields.ts (system fields sorted and encoded once, params merged per call)', full],
  ['signed-fields.workerd.ts (everything per call, in fewer bytes)', workerd as unknown as typeof full],
]

describe.each(variants)('%s', (_, { canonicalOf, SignedFields, systemFields }) => {
  it('give the canonical string, the record and the body the plain record gives', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(paramName, paramValue), { selector: ([name]) => name, maxLength: 8 }),
        fc.option(fc.string({ minLength: 1, maxLength: 6 }), { nil: undefined }),
        (pairs, session) => {
          const systemNames = ['method', 'app_key', 'timestamp', 'v', 'format', 'sign_method', 'simplify', ...(session ? ['session'] : [])]
          const systemValues = ['taobao.tbk.x', '123', '2026-12-05 12:00:00', '2.0', 'json', 'md5', 'true', ...(session ? [session] : [])]
          const system = systemFields('taobao.tbk.x', session, '2026-12-05 12:00:00', systemNames, systemValues)
          const params = Object.create(null) as Record<string, string>
          for (const [name, value] of pairs) params[name] = value
          const keys = Object.keys(params)
          const record = Object.create(null) as Record<string, string>
          systemNames.forEach((name, i) => (record[name] = systemValues[i]!))
          for (const key of keys) record[key] = params[key]!
          expect(canonicalOf(system, params, keys)).toBe(canonicalString(record))
          const signed = new SignedFields(system, params, keys, canonicalOf(system, params, keys), 'ABC123', {})
          expect({ ...signed.record() }).toEqual({ ...record, sign: 'ABC123' })
          // Sent in order: method, the system params, the call's params as given, sign.
          const sent = [...systemNames.map((name, i) => [name, systemValues[i]!] as const), ...keys.map((key) => [key, params[key]!] as const), ['sign', 'ABC123'] as const]
          expect(signed.urlEncoded()).toBe(referenceBody(sent))
        },
      ),
      { numRuns: 400 },
    )
  })
})

describe('a client reusing its system fields', () => {
  /** The fields a request sent, read back from its body. */
  function sentFields(request: TopHttpRequest): Record<string, string> {
    if (request.body.type !== 'urlencoded') throw new Error('expected a urlencoded body')
    return Object.fromEntries(new URLSearchParams(request.body.text))
  }

  it('signs every request for what it sends when methods, sessions and seconds change between calls', async () => {
    let now = Date.UTC(2026, 11, 5, 4, 0, 0)
    const { platform, requests } = recordingPlatform()
    const timed: Platform = { ...platform, now: () => now }
    const client = createTopClient(timed, { appKey: '12345', appSecret: 'secret', signMethod: 'md5', validate: false })
    const calls: [string, Record<string, string>, string | undefined][] = [
      ['taobao.tbk.a.get', { q: '1' }, undefined],
      ['taobao.tbk.a.get', { q: '2' }, 'session-one'],
      ['taobao.tbk.a.get', { q: '2' }, 'session-two'],
      ['taobao.tbk.b.get', { q: '3', a: '' }, 'session-two'],
      ['taobao.tbk.b.get', { q: '4' }, 'session-two'],
      ['taobao.tbk.b.get', { q: '5' }, undefined],
    ]
    for (const [index, [method, params, session]] of calls.entries()) {
      if (index === 4) now += 1_000
      await client.callUntyped(method, params, session ? { session } : undefined)
    }
    expect(requests).toHaveLength(calls.length)
    for (const [index, request] of requests.entries()) {
      const [method, params, session] = calls[index]!
      const fields = sentFields(request)
      expect(fields.method).toBe(method)
      expect(fields.session).toBe(session)
      expect(fields.timestamp).toBe(index >= 4 ? '2026-12-05 12:00:01' : '2026-12-05 12:00:00')
      // Empty values are neither signed nor sent.
      for (const [key, value] of Object.entries(params)) expect(fields[key]).toBe(value === '' ? undefined : value)
      const { sign: signature, ...unsigned } = fields
      expect(signature).toBe(await sign(unsigned, 'secret', 'md5', [], portableCrypto))
    }
  })

  it('still refuses a malformed method name right after a good one (the last good name is remembered)', async () => {
    const { platform, requests } = recordingPlatform()
    const client = createTopClient(platform, { appKey: '12345', appSecret: 'secret', signMethod: 'md5', validate: false })
    await client.callUntyped('taobao.tbk.a.get', {})
    for (const bad of [undefined, '', 'taobao', 'taobao.tbk.a.get ', 42]) {
      await expect(client.callUntyped(bad as string, {})).rejects.toThrow(/Not a TOP method name/)
    }
    await client.callUntyped('taobao.tbk.a.get', {})
    expect(requests).toHaveLength(2)
  })
})
