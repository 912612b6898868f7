import { createHash, createHmac } from 'node:crypto'
import fc from 'fast-check'
import { createClient, parseJson, TopValidationError, type NodeTopClient, type SignMethod } from '@tbkit/node'
import type { RecordedRequest } from '@tbkit/emulator'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Random params, through a real client to the emulator, with every sign
 * method: each request is accepted as correctly signed, every value arrives
 * exactly as the protocol encodes it, and the signature also matches a
 * reference digest computed here from what arrived.
 */

const APP = { appKey: '31000002', appSecret: 'signing-property-secret-中文-🔑', sessions: ['property-session-0001'] }
// A method outside the catalog, answered by a handler: any param name and value is accepted.
const ECHO = 'tbkit.e2e.signing.echo'
const SYSTEM = new Set(['method', 'app_key', 'timestamp', 'v', 'sign_method', 'sign', 'format', 'session', 'simplify', 'partner_id', 'target_app_key'])
const RUNS = 80

const clients = new Map<SignMethod, NodeTopClient>()

const emulator = useEmulator({ apps: [APP] })
beforeAll(async () => {
  emulator.handle(ECHO, () => ({ accepted: true }))
  for (const signMethod of ['md5', 'hmac', 'hmac-sha256'] as const) {
    clients.set(signMethod, createClient({ appKey: APP.appKey, appSecret: APP.appSecret, session: APP.sessions[0], signMethod, endpoint: emulator.url }))
  }
})
afterAll(async () => {
  for (const client of clients.values()) await client.close()
})

/** The platform's signature, written from its documentation, independent of tbkit's code. */
function referenceSignature(params: Readonly<Record<string, string>>, secret: string, method: string): string {
  const canonical = Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '')
    .sort()
    .map((key) => key + params[key])
    .join('')
  const digest =
    method === 'md5'
      ? createHash('md5').update(secret + canonical + secret, 'utf8')
      : createHmac(method === 'hmac' ? 'md5' : 'sha256', Buffer.from(secret, 'utf8')).update(canonical, 'utf8')
  return digest.digest('hex').toUpperCase()
}

/** `yyyy-MM-dd HH:mm:ss` in GMT+8. */
function gmt8(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** What a JSON param's value reads back as: bigints as numbers when safe, else exact strings; -0 is 0. */
function readBack(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= -SAFE && value <= SAFE ? Number(value) : value.toString()
  if (typeof value === 'number') return value === 0 ? 0 : value
  if (Array.isArray(value)) return value.map(readBack)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, { value: readBack((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return value
}

/** A param value with the text it must arrive as (undefined: not sent at all). */
interface Generated {
  readonly value: unknown
  readonly check: (received: string | undefined) => void
}

const exactly = (value: unknown, text: string | undefined): Generated => ({ value, check: (received) => expect(received).toBe(text) })

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 2_000, maxLength: 6_000 }),
  fc.constantFrom(' ', '+', 'a b&c=d?e%f', '%E4%B8%AD', '\r\n', 'line\nbreak', '\u0000', '中文参数', '😀𝄞', 'é', 'e\u0301'),
)

const finiteNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d) || Number.isSafeInteger(d)),
)

const bigInteger = fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n })

const jsonKey = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'))

/** Nested objects for Json params: any Unicode, big integers, arrays in objects in arrays. */
const { jsonTree } = fc.letrec((tie) => ({
  jsonTree: fc.oneof({ depthSize: 'small' }, tie('jsonLeaf'), tie('jsonArray'), tie('jsonObject')),
  jsonLeaf: fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), finiteNumber, bigInteger, fc.boolean(), fc.constant(null)),
  jsonArray: fc.array(tie('jsonTree'), { maxLength: 4 }),
  jsonObject: fc.dictionary(jsonKey, tie('jsonTree'), { maxKeys: 4 }),
}))
const jsonParam = fc.oneof(
  fc.dictionary(jsonKey, jsonTree, { maxKeys: 5 }),
  fc.array(fc.dictionary(jsonKey, jsonTree, { minKeys: 1, maxKeys: 3 }), { minLength: 1, maxLength: 3 }),
)

const generatedValue: fc.Arbitrary<Generated> = fc.oneof(
  anyText.map((s) => exactly(s, s === '' ? undefined : s)),
  fc.constantFrom('', null, undefined).map((empty) => exactly(empty, undefined)),
  finiteNumber.map((n) => exactly(n, String(n))),
  bigInteger.map((n) => exactly(n, n.toString())),
  fc.boolean().map((b) => exactly(b, String(b))),
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => exactly(d, gmt8(d))),
  fc
    .array(fc.oneof(fc.integer(), bigInteger, fc.stringMatching(/^[a-z0-9]{1,8}$/)), { minLength: 1, maxLength: 6 })
    .map((list) => exactly(list, list.map(String).join(','))),
  jsonParam.map(
    (value): Generated => ({
      value,
      check: (received) => {
        expect(received).toBeDefined()
        expect(parseJson(received!)).toEqual(readBack(value))
      },
    }),
  ),
)

const fileValue = fc.uint8Array({ maxLength: 4_096 })

// Code-unit sorting traps (upper case, digits, underscores) and names that are special in JavaScript.
const paramName = fc
  .oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/), fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'a', 'A', 'a_', 'a0', 'Z'))
  .filter((name) => !SYSTEM.has(name))

interface Scenario {
  readonly text: ReadonlyArray<readonly [string, Generated]>
  readonly files: ReadonlyArray<readonly [string, Uint8Array]>
}

const scenario: fc.Arbitrary<Scenario> = fc
  .uniqueArray(fc.tuple(paramName, fc.oneof({ arbitrary: generatedValue.map((g) => ({ g })), weight: 9 }, { arbitrary: fileValue.map((f) => ({ f })), weight: 1 })), {
    selector: ([name]) => name,
    maxLength: 12,
  })
  .map((entries) => ({
    text: entries.flatMap(([name, v]) => ('g' in v ? [[name, v.g] as const] : [])),
    // File parts are rarer than text, so calls go out both urlencoded and as multipart.
    files: entries.flatMap(([name, v]) => ('f' in v ? [[name, v.f] as const] : [])),
  }))

/** Build the params object with own properties, so `__proto__` and friends are ordinary names. */
function paramsOf(s: Scenario): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  for (const [name, generated] of s.text) Object.defineProperty(params, name, { value: generated.value, enumerable: true, writable: true, configurable: true })
  for (const [name, bytes] of s.files) Object.defineProperty(params, name, { value: bytes, enumerable: true, writable: true, configurable: true })
  return params
}

function textOf(request: RecordedRequest): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  for (const name of Object.keys(request.params)) out[name] = request.params[name]!.value
  return out
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

describe.each(['md5', 'hmac', 'hmac-sha256'] as const)('sign method %s', (signMethod) => {
  it('any params produce a request the gateway accepts, with every value exact', async () => {
    const client = clients.get(signMethod)!
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        emulator.clearRequests()
        const result = await client.callUntyped(ECHO, paramsOf(s))
        expect(result).toMatchObject({ accepted: true })
        expect(emulator.requests).toHaveLength(1)
        const request = emulator.requests[0]!
        expect(request.outcome).toBe('ok')
        const received = textOf(request)
        expect(received.sign_method).toBe(signMethod)
        expect(received.sign).toBe(referenceSignature(received, APP.appSecret, signMethod))
        for (const [name, generated] of s.text) generated.check(Object.hasOwn(received, name) ? received[name] : undefined)
        const sentNames = Object.keys(received).filter((name) => !SYSTEM.has(name))
        expect(sentNames.sort()).toEqual(s.text.filter(([name]) => Object.hasOwn(received, name)).map(([name]) => name).sort())
        // Text params as multipart fields when a file went along, else in a urlencoded body; never in the query.
        expect(new Set(Object.values(request.params).map((p) => p.source))).toEqual(new Set([s.files.length > 0 ? 'multipart-field' : 'body']))
        for (const [name, bytes] of s.files) {
          expect(request.files[name]).toMatchObject({ size: bytes.length, sha256: sha256(bytes) })
        }
        // Everything travels in the body; the URL carries nothing.
        expect(request.url).toBe('/router/rest')
      }),
      { numRuns: RUNS },
    )
  }, 120_000)
})

describe('values that cannot be sent faithfully are refused before sending', () => {
  it('an integer beyond 2^53 given as a number, anywhere in the params', async () => {
    const client = clients.get('hmac-sha256')!
    const unsafe = fc.oneof(
      fc.double({ min: 2 ** 53, max: 1e300, noNaN: true }).filter((d) => Number.isInteger(d) && !Number.isSafeInteger(d)),
      fc.constantFrom(2 ** 53, -(2 ** 53), 4793168816102206594),
    )
    await fc.assert(
      fc.asyncProperty(unsafe, fc.boolean(), async (n, nested) => {
        emulator.clearRequests()
        const params = nested ? { search_option: { biz: [{ id: n }] } } : { seller_id: n }
        const error = await client.callUntyped(ECHO, params).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(TopValidationError)
        expect(emulator.requests).toHaveLength(0)
      }),
      { numRuns: 30 },
    )
  })

  it('a param named like a system param', async () => {
    const client = clients.get('hmac-sha256')!
    for (const name of ['sign', 'session', 'app_key', 'timestamp', 'method']) {
      const error = await client.callUntyped(ECHO, { [name]: 'x' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TopValidationError)
      expect(error).toMatchObject({ param: name })
    }
    expect(emulator.requests).toHaveLength(0)
  })
})

describe('lossless JSON from the gateway, through the whole stack', () => {
  /** JSON text with bigints written as bare numbers, in one of several layouts. */
  function jsonText(value: unknown, indent: number | string): string {
    const marks: string[] = []
    const text = JSON.stringify(
      value,
      (_key, v: unknown) => (typeof v === 'bigint' ? `\u0000${marks.push(v.toString()) - 1}\u0000` : v),
      indent,
    )
    return text.replace(/"\\u0000(\d+)\\u0000"/g, (_, i: string) => marks[Number(i)]!)
  }

  it('random JSON with big integers anywhere comes back exactly, whatever the layout', async () => {
    const client = clients.get('hmac-sha256')!
    const RAW = 'tbkit.e2e.lossless.answer'
    let answer = '{}'
    const stop = emulator.handle(RAW, () => answer)
    try {
      await fc.assert(
        fc.asyncProperty(fc.dictionary(jsonKey.filter((k) => k !== 'request_id'), jsonTree, { maxKeys: 6 }), fc.constantFrom(0, 2, '\t'), async (value, indent) => {
          answer = jsonText(value, indent)
          expect(parseJson(answer)).toEqual(readBack(value))
          const result = await client.callUntyped(RAW, {})
          expect(result).toEqual({ ...(readBack(value) as object), request_id: expect.any(String) })
        }),
        { numRuns: 150 },
      )
    } finally {
      stop()
    }
  }, 60_000)
})
