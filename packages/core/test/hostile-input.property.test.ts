/**
 * Property suite for issue 13: whatever a hostile gateway answers, and
 * whatever a caller passes, tbkit either succeeds or throws a TopError —
 * never a raw RangeError, TypeError or URIError — and sends nothing for
 * input it refuses.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { convertShareText, createTopClient, decodeResponse, extractLinks, TopError, TopValidationError, type ApiMeta, type Platform, type TopHttpRequest } from '../src/index.js'
import { BATCH_SEPARATOR, decodeBatchAnswer } from '../src/client/batch.js'

const METHOD = 'taobao.tbk.item.info.get'
const ENVELOPE = 'tbk_item_info_get_response'

// ---- Bodies: JSON-ish text, written by hand so it can hold what JSON.stringify never writes.

const CONTROL_AND_BIDI = ['\u0000', '\u0001', '\t', '\n', '\r', '\u001b[31m', '\u007f', '\u0085', '\u2028', '\u202e', '\u2066', '\uD800', '\uDC00']
const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...CONTROL_AND_BIDI),
  fc.array(fc.constantFrom(...CONTROL_AND_BIDI, 'a', '"', '\\'), { maxLength: 12 }).map((parts) => parts.join('')),
)
const oddKey = fc.oneof(oddText, fc.constantFrom('__proto__', 'constructor', '0', '1', '007', 'error_response', 'code', 'msg', 'sub_code', 'request_id', ENVELOPE))
/** A raw string literal: escaped, or with its control characters left raw (as a broken gateway sends them). */
const literal = (text: string, raw: boolean) => (raw ? `"${text.replace(/["\\]/g, '\\$&')}"` : JSON.stringify(text))
const oddNumber = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.constantFrom('-0', '1e400', '-1e-400', '12345678901234567890', '9007199254740993', '0.1234567890123456789', '1E+30'),
)

const { node: jsonish } = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    oddNumber,
    fc.tuple(oddText, fc.boolean()).map(([text, raw]) => literal(text, raw)),
    fc.constantFrom('true', 'false', 'null'),
    fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(oddKey, tie('node'), fc.boolean()), { maxLength: 4 })
      .map((members) => `{${members.map(([key, value, raw]) => `${literal(key, raw)}:${value}`).join(',')}}`),
  ),
}))

/** Deep nesting: objects, arrays and one-key list wrappers, tens of thousands of levels. */
const deepNesting = fc.tuple(fc.integer({ min: 1, max: 60_000 }), fc.constantFrom('{"a":', '[', '{"list":['), jsonish).map(([depth, open, leaf]) => {
  const close = open === '[' ? ']' : open === '{"a":' ? '}' : ']}'
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`
})

const body = fc.oneof(
  jsonish,
  deepNesting,
  jsonish.map((text) => `{"${ENVELOPE}":${text}}`),
  deepNesting.map((text) => `{"${ENVELOPE}":${text}}`),
  jsonish.map((text) => `{"error_response":${text}}`),
  fc.tuple(jsonish, fc.nat()).map(([text, cut]) => text.slice(0, cut % (text.length + 1))),
)
const status = fc.constantFrom(200, 200, 200, 400, 429, 500, 502)

function expectOnlyTopErrors(run: () => unknown): void {
  try {
    run()
  } catch (error) {
    if (!(error instanceof TopError)) throw error
  }
}

describe('hostile answers (property)', () => {
  it('decodeResponse, both forms: a result or a TopError, nothing else', () => {
    fc.assert(
      fc.property(body, status, (text, code) => {
        expectOnlyTopErrors(() => decodeResponse(METHOD, code, text))
      }),
      { numRuns: 250 },
    )
  }, 60_000)

  it('the batch splitter: a result or a TopError per document, nothing else thrown', () => {
    fc.assert(
      fc.property(fc.array(body, { minLength: 1, maxLength: 4 }), status, fc.integer({ min: 1, max: 5 }), (documents, code, calls) => {
        expectOnlyTopErrors(() => {
          const outcomes = decodeBatchAnswer({ status: code, text: documents.join(BATCH_SEPARATOR) }, Array(calls).fill(METHOD))
          for (const outcome of outcomes) if (!outcome.ok) expect(outcome.error).toBeInstanceOf(TopError)
        })
      }),
      { numRuns: 150 },
    )
  }, 60_000)

  it('huge strings (up to 9 M characters) with raw controls or index-like keys and 64-bit ids', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8_600_000, max: 9_000_000 }),
        fc.constantFrom('\u0001', '\n', ''),
        fc.boolean(),
        fc.boolean(),
        (length, control, indexKey, truncate) => {
          let text = `{${indexKey ? '"0":1,' : ''}"id":12345678901234567890,"s":"${'x'.repeat(length)}${control}"}`
          if (truncate) text = text.slice(0, -2)
          expectOnlyTopErrors(() => decodeResponse(METHOD, 200, `{"${ENVELOPE}":${text}}`))
        },
      ),
      { numRuns: 6 },
    )
  }, 60_000)
})

// ---- Params: whatever a caller may pass.

const meta: ApiMeta = { method: METHOD, params: [{ name: 'num_iids', kind: 'string-list', required: false }], session: 'unknown', safe: true }

function recordingClient() {
  const requests: TopHttpRequest[] = []
  const platform: Platform = {
    async send(request) {
      requests.push(request)
      return { status: 200, text: '{"ok":true}' }
    },
  }
  const client = createTopClient(platform, {
    appKey: '12345678',
    appSecret: 'property-secret',
    endpoint: 'http://127.0.0.1:9/router/rest',
    catalog: { [METHOD]: meta },
    maxRetries: 0,
  })
  return { client, requests }
}

const circular = fc.constant(null).map(() => {
  const loop: Record<string, unknown> = { a: 1 }
  loop.self = loop
  return loop
})
const paramValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('\uD800', 'a\uDC00b', '\uD83D\uDE00'),
  fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.NaN, Infinity, 2 ** 53 + 2, -0)),
  fc.bigInt(),
  fc.boolean(),
  fc.date({ noInvalidDate: false }),
  // The last hours of JavaScript's dates have no GMT+8 date: refused, never a RangeError.
  fc.constantFrom(new Date(8.64e15), new Date(8.64e15 - 3_600_000), new Date(-8.64e15)),
  fc.constantFrom(null, undefined),
  fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 5 }), fc.integer()), { maxLength: 4 }),
  fc.dictionary(fc.string({ unit: 'binary', maxLength: 5 }), fc.oneof(fc.string({ unit: 'binary', maxLength: 5 }), fc.bigInt(), fc.double())),
  circular,
  fc.constant(new Map([['a', 1]])),
  fc.constant(Symbol('s')),
  fc.constant(() => 1),
  fc.integer({ min: 1, max: 3_000_000 }).map((n) => 'h'.repeat(n)),
)
const paramName = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.constantFrom('num_iids', '\uD800', 'a\uDFFF', '__proto__', 'sign', 'session'))
const paramsObject = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(paramName, paramValue, { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(new Map([['num_iids', '1']]), new Date(), [1, 2], null, 'num_iids=1', 42) },
)

describe('hostile params (property)', () => {
  it('call: a result or a TopError; a refused call sends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(paramsObject, fc.boolean(), async (params, known) => {
        const { client, requests } = recordingClient()
        const method = known ? METHOD : 'taobao.tbk.other.get'
        try {
          await client.call(method as never, params as never)
        } catch (error) {
          if (!(error instanceof TopError)) throw error
          if (error instanceof TopValidationError) expect(requests).toHaveLength(0)
        }
      }),
      { numRuns: 300 },
    )
  }, 60_000)

  it('batch: a result or a TopError; a refused batch sends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(paramsObject, { minLength: 1, maxLength: 3 }), fc.option(paramValue), async (paramsList, session) => {
        const { client, requests } = recordingClient()
        const calls = paramsList.map((params) => ({ method: 'taobao.tbk.other.get', params: params as Record<string, unknown>, session: session as string | undefined }))
        try {
          await client.batch(calls)
        } catch (error) {
          if (!(error instanceof TopError)) throw error
          if (error instanceof TopValidationError) expect(requests).toHaveLength(0)
        }
      }),
      { numRuns: 150 },
    )
  }, 60_000)
})

// ---- Issue 25: the new surface (OAuth answers, share texts).

const opaqueToken = fc.stringMatching(/^[A-Za-z0-9._~+/-]{12,40}$/).filter((token) => /[g-zG-Z._~+/-]/.test(token))
const escapeDepth = fc.integer({ min: 0, max: 3 })
const quoted = (depth: number) => `${'\\'.repeat(2 ** depth - 1)}"`

describe('hostile OAuth answers (property, issue 25 item 3)', () => {
  it('no token of any alphabet survives into an excerpt, however deep the JSON escaping and wherever the body is cut', () => {
    fc.assert(
      fc.property(opaqueToken, fc.constantFrom('access_token', 'refresh_token'), escapeDepth, fc.nat(), fc.constantFrom(200, 502), (token, name, depth, cut, code) => {
        const q = quoted(depth)
        const full = `{"top_auth_token_create_response":{"token_result":${q}{${q}${name}${q}:${q}${token}${q},${q}expires_in${q}:86400}`
        const text = full.slice(0, full.indexOf(token) + token.length + (cut % 8))
        try {
          decodeResponse('taobao.top.auth.token.create', code, text)
        } catch (error) {
          if (!(error instanceof TopError)) throw error
          const excerpt = (error as { bodyExcerpt?: string }).bodyExcerpt ?? ''
          expect(excerpt).not.toContain(token)
          expect(error.message).not.toContain(token)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('hostile share texts (property, issue 25 item 11)', () => {
  const platformLink = fc.constantFrom('https://item.taobao.com/item.htm?id=600000000001', 'https://m.tb.cn/h.AbCd12', 'item.taobao.com/item.htm?id=600000000001', 's.click.taobao.com/t?e=1')
  const wrapper = fc.constantFrom(
    'https://evil.example/r?to=',
    'https://evil.example/p/',
    'https://evil.example/#',
    'https://evil.example/x%2F',
    'data:text/html,',
    'data:',
    'javascript:alert(1)//',
    'evil.example\\',
    'evil.example\\@',
    'https://evil.example@',
    'http://evil.example/?u=',
    'blob:https://evil.example/',
  )
  const frame = fc.constantFrom(['', ''], ['看 ', ' 吧'], ['【淘宝】', '。'], ['\n', '\n'])

  it('a platform link inside another address is never taken as the platform own', () => {
    fc.assert(
      fc.property(wrapper, platformLink, frame, (outer, link, [before, after]) => {
        const found = extractLinks(`${before}${outer}${link}${after}`)
        expect(found).toEqual([])
      }),
      { numRuns: 300 },
    )
  })
})

describe('convertShareText against a hostile gateway (property, issue 25 items 2 and 5)', () => {
  const clickUrl = fc.oneof(
    fc.constantFrom(
      'javascript:alert(1)',
      'http://s.click.taobao.com/t?e=1',
      'https://evil.example/t',
      'https://s.click.taobao.com.evil.example/t',
      'https://a@s.click.taobao.com/t',
      '//evil.example/t',
      'data:text/html,x',
      'https://s.click.taobao.com/t?e=\u001b[2J',
      'https://s.click.taobao.com/\u202et',
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constant('https://s.click.taobao.com/t?e=ok'),
  )
  const shareText = fc
    .array(fc.oneof(fc.integer({ min: 100000, max: 999999 }).map((id) => `https://item.taobao.com/item.htm?id=${id}`), fc.constantFrom('￥AbCd1234Ef￥', 'https://m.tb.cn/h.AbCd12', '看看', 'https://example.com/x')), { maxLength: 60 })
    .map((parts) => parts.join(' '))

  it('spends at most a bounded number of calls, and puts nothing but an https platform link into the text', async () => {
    await fc.assert(
      fc.asyncProperty(shareText, clickUrl, fc.integer({ min: 1, max: 8 }), async (text, url, maxItems) => {
        let calls = 0
        const client = {
          async call(method: string, params: Record<string, unknown>) {
            calls++
            if (method === 'taobao.tbk.item.convert') return { results: String(params.num_iids).split(',').map((id) => ({ num_iid: id, click_url: url })) }
            if (method === 'taobao.tbk.item.click.extract') return { item_id: '123456' }
            if (method === 'taobao.tbk.spread.get') return { results: (params.requests as unknown[]).map(() => ({ content: url, err_msg: 'OK' })) }
            if (method === 'taobao.tbk.tpwd.create') return { data: { password_simple: url } }
            return { data: { num_iid: '123456', click_url: url } }
          },
        }
        const result = await convertShareText(client as never, text, { adzoneId: '1', maxItems })
        // One to three calls per converted item, batched steps at most one call each.
        expect(calls).toBeLessThanOrEqual(3 * maxItems)
        // Here each distinct text is one distinct item: at most maxItems of them were worked on, the rest skipped.
        const worked = new Set(result.items.filter((item) => item.status === 'converted' || item.status === 'failed').map((item) => item.text))
        expect(worked.size).toBeLessThanOrEqual(maxItems)
        const distinct = new Set(result.items.filter((item) => item.status !== 'not-taobao').map((item) => item.text))
        expect(result.items.some((item) => item.status === 'skipped')).toBe(distinct.size > maxItems)
        for (const item of result.items) {
          if (item.status !== 'converted') continue
          expect(item.replacement).toMatch(/^https:\/\/[a-z0-9.-]+\.(?:taobao\.com|tb\.cn)\//)
          expect(item.replacement).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
        }
        if (url !== 'https://s.click.taobao.com/t?e=ok') expect(result.items.every((item) => item.status !== 'converted')).toBe(true)
      }),
      { numRuns: 200 },
    )
  }, 60_000)
})
