// The runtime matrix's scenario: the same checks on every runtime, against
// the emulator the test runs on Node. Plain JavaScript (no TypeScript, no
// Node built-ins, no runtime-specific globals) so Node 20 and 22, Deno, Bun,
// workerd and a bare V8 context all run this very file.
//
// Each runtime's entry (node-entry.mjs, edge-entry.mjs, worker-entry.mjs)
// hands in its platform package's module and the config the test made.

export const SIGN_METHODS = ['md5', 'hmac', 'hmac-sha256']

/** The responder the emulator runs for `SLOW_METHOD`: answers after `ms`. */
export const SLOW_METHOD = 'tbkit.runtimes.slow'

/** A 64 KiB file of every byte value (0x00–0xff, so any text re-encoding would show). */
export function uploadBytes() {
  const bytes = new Uint8Array(64 * 1024)
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff
  return bytes
}

// Text with what URL encoding must get right: CJK, an emoji (a surrogate pair), & = + % and a space.
const SHARE_TEXT = '好物推荐 🎁 a&b=c+d 50% off'
const LINK = 'https://uland.taobao.com/coupon/edetail?e=abc%3D&id=641234567890123456'

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  let out = ''
  for (const b of digest) out += b.toString(16).padStart(2, '0')
  return out
}

function fail(message) {
  throw new Error(message)
}

function expectError(error, ErrorClass, name) {
  if (!(error instanceof ErrorClass)) fail(`expected ${name}, got ${error?.name}: ${error?.message}`)
}

/**
 * Run every check for every sign method; never throws. Each result:
 * `{ check, signMethod, ok, ms, detail }`.
 *
 * @param {object} tbkit the platform package's module (`@tbkit/node`, `@tbkit/edge`, or core's bundle)
 * @param {object} config `{ endpoint, appKey, appSecret, session, vectors }` from the test
 * @param {object} platform `{ createClient(options), crypto }`: the platform's client and signing crypto
 */
export async function runScenario(tbkit, config, platform) {
  const results = []
  async function check(name, signMethod, run) {
    const started = Date.now()
    try {
      const detail = await run()
      results.push({ check: name, signMethod, ok: true, ms: Date.now() - started, detail: detail ?? '' })
    } catch (error) {
      results.push({ check: name, signMethod, ok: false, ms: Date.now() - started, detail: `${error?.name}: ${error?.message}` })
    }
  }

  const base = { appKey: config.appKey, appSecret: config.appSecret, endpoint: config.endpoint, maxRetries: 0 }
  const upload = uploadBytes()
  const uploadSha256 = await sha256Hex(upload)

  await Promise.all(
    SIGN_METHODS.map(async (signMethod) => {
      await check('signing vectors', signMethod, async () => {
        const vectors = config.vectors.filter((v) => v.signMethod === signMethod)
        if (vectors.length === 0) fail('no vectors')
        for (const v of vectors) {
          if (tbkit.canonicalString(v.params, v.fileParams) !== v.canonical) fail(`${v.name}: canonical string differs`)
          const signature = await tbkit.sign(v.params, v.secret, v.signMethod, v.fileParams, platform.crypto)
          if (signature !== v.sign) fail(`${v.name}: got ${signature}, expected ${v.sign}`)
        }
        return `${vectors.length} vectors`
      })

      const client = platform.createClient({ ...base, signMethod })
      try {
        await check('urlencoded call', signMethod, async () => {
          // The emulator checks the signature, then its responder echoes what it received.
          const answer = await client.call('taobao.tbk.tpwd.create', { url: LINK, text: SHARE_TEXT })
          if (answer.data?.model !== SHARE_TEXT) fail(`text came back as ${JSON.stringify(answer.data?.model)}`)
          if (answer.data?.password_simple !== LINK) fail(`url came back as ${JSON.stringify(answer.data?.password_simple)}`)
          if (typeof answer.request_id !== 'string') fail('no request_id')
          return `request_id ${answer.request_id}`
        })

        await check('multipart upload', signMethod, async () => {
          const answer = await client.call(
            'taobao.tbk.sc.pic.embed',
            { adzone_id: 1, site_id: 2, item_id: 641234567890123456n, pic_stream: upload },
            { session: config.session },
          )
          // The emulator hashes the file part as it streams in and answers with its digest.
          if (answer.data?.sha256 !== uploadSha256) fail(`the emulator received a file with SHA-256 ${answer.data?.sha256}`)
          if (answer.data?.size !== upload.length) fail(`the emulator received ${answer.data?.size} bytes`)
          if (answer.data?.item_id !== '641234567890123456') fail(`item_id arrived as ${answer.data?.item_id}`)
          return `${upload.length} bytes, SHA-256 confirmed`
        })

        await check('timeout', signMethod, async () => {
          const started = Date.now()
          const error = await client.call(SLOW_METHOD, { ms: 3000 }, { timeoutMs: 200 }).then(
            () => fail('answered, expected a timeout'),
            (e) => e,
          )
          expectError(error, tbkit.TopTimeoutError, 'TopTimeoutError')
          const took = Date.now() - started
          if (took > 2000) fail(`took ${took} ms for a 200 ms timeout`)
          return `TopTimeoutError after ${took} ms`
        })

        await check('abort', signMethod, async () => {
          const controller = new AbortController()
          const started = Date.now()
          setTimeout(() => controller.abort(), 100)
          const error = await client.call(SLOW_METHOD, { ms: 3000 }, { signal: controller.signal }).then(
            () => fail('answered, expected an abort'),
            (e) => e,
          )
          expectError(error, tbkit.TopAbortError, 'TopAbortError')
          const took = Date.now() - started
          if (took > 2000) fail(`took ${took} ms to abort`)
          return `TopAbortError after ${took} ms`
        })
      } finally {
        await client.close?.()
      }
    }),
  )
  return results
}
