// 1. Signing throughput: core's portable digests (pure-TS MD5 and HMAC-MD5,
// WebCrypto HMAC-SHA256) against node:crypto's native ones, on realistic
// canonical strings of ≈200 B and ≈2 KB with Chinese text. Each task takes the
// UTF-8 bytes signing digests (as core's signCanonical hands them over) and
// returns the upper-case hex signature: the digest itself is compared, the
// text encoding (the same on both sides) is not.
import { createHash, createHmac, hash } from 'node:crypto'
import { portableCrypto, utf8, webHmacSha256Hex } from '@tbkit/core'
import { APP_SECRET, largeCanonical, smallCanonical } from '../fixtures/canonical.mjs'
import { measureOps } from '../lib/ops.mjs'
import { pick } from '../lib/options.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { round } from '../lib/stats.mjs'

const key = utf8(APP_SECRET)

function tasksFor(canonical) {
  const wrapped = utf8(APP_SECRET + canonical + APP_SECRET) // the md5 sign method digests secret + s + secret
  const message = utf8(canonical)
  return {
    md5: {
      core: () => portableCrypto.md5Hex(wrapped),
      native: {
        createHash: () => createHash('md5').update(wrapped).digest('hex').toUpperCase(),
        'crypto.hash': () => hash('md5', wrapped, 'hex').toUpperCase(),
      },
    },
    hmac: {
      core: () => portableCrypto.hmacMd5Hex(key, message),
      native: { createHmac: () => createHmac('md5', key).update(message).digest('hex').toUpperCase() },
    },
    'hmac-sha256': {
      core: () => webHmacSha256Hex(key, message),
      native: { createHmac: () => createHmac('sha256', key).update(message).digest('hex').toUpperCase() },
    },
  }
}

const LABELS = {
  md5: ['MD5', 'core pure-TS MD5'],
  hmac: ['HMAC-MD5', 'core pure-TS HMAC-MD5'],
  'hmac-sha256': ['HMAC-SHA256', 'core WebCrypto HMAC-SHA256 (async)'],
}

/** The same signature from both sides, or the comparison means nothing. */
async function checkAgree(tasks) {
  for (const [method, { core, native }] of Object.entries(tasks)) {
    const expected = await core()
    for (const [name, task] of Object.entries(native)) {
      if (task() !== expected) throw new Error(`${method}: node:crypto ${name} disagrees with core`)
    }
  }
}

await runSection(async (options) => {
  const inputs = { '200 B': smallCanonical(), '2 KB': largeCanonical() }
  const rows = []
  const details = { inputBytes: {}, nsPerOp: {} }
  for (const [size, canonical] of Object.entries(inputs)) {
    details.inputBytes[size] = Buffer.byteLength(canonical)
    const tasks = tasksFor(canonical)
    await checkAgree(tasks)
    for (const [method, { core, native }] of Object.entries(tasks)) {
      progress(`signing ${method}, ${size}`)
      const flat = { core, ...Object.fromEntries(Object.entries(native).map(([name, task]) => [`node:crypto ${name}`, task])) }
      const isAsync = method === 'hmac-sha256'
      const results = await measureOps(flat, {
        batch: isAsync ? 20 : 200,
        timeMs: pick(options, { full: 400, quick: 150 }),
        warmupMs: pick(options, { full: 400, quick: 200 }),
        rounds: pick(options, { full: 3, quick: 1 }),
      })
      const [best, bestResult] = Object.entries(results)
        .filter(([name]) => name !== 'core')
        .sort((a, b) => a[1].nsPerOp - b[1].nsPerOp)[0]
      const ratio = results.core.nsPerOp / bestResult.nsPerOp
      const [label, subject] = LABELS[method]
      const isTarget = method === 'md5' && size === '200 B'
      rows.push({
        name: `${label}, ${size} (${details.inputBytes[size]} B)`,
        subject,
        value: round(results.core.opsPerSec, 0),
        unit: 'ops/s',
        baseline: best,
        baselineValue: round(bestResult.opsPerSec, 0),
        ratio: round(ratio, 2),
        ratioText: `${ratio.toFixed(2)}× the time`,
        ...(isTarget ? { target: { text: '≤ 1.5×', met: ratio <= 1.5 } } : {}),
      })
      details.nsPerOp[`${method} ${size}`] = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(v.nsPerOp, 1)]))
    }
  }
  return {
    id: 'signing',
    title: 'Signing throughput',
    compares:
      "UTF-8 bytes of a canonical string → upper-case hex signature: core's portable digests vs the fastest node:crypto route (createHash/createHmac, or one-shot crypto.hash); ops/s from median CPU time per op; ratio = core time ÷ native time. @tbkit/node signs with node:crypto; the portable digests serve runtimes without native MD5.",
    rows,
    details,
  }
})
