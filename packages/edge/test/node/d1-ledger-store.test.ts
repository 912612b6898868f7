import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ledgerStoreConformance } from '@tbkit/test-support/ledger-store-conformance'
import { D1_RELAY_SCRIPT, d1OverHttp } from '@tbkit/test-support/d1-relay'
import { d1LedgerStore, type D1DatabaseLike } from '../../src/d1-ledger-store.js'

// Real D1 in workerd, reached over HTTP through a relay Worker (see
// test-support's d1-relay for why not Miniflare's binding proxy). One
// binding per test (a fresh, empty database each), as many as the suite needs.
const DATABASES = 40
let mf: Miniflare
let next = 0

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: D1_RELAY_SCRIPT,
    compatibilityDate: '2025-09-01',
    d1Databases: Object.fromEntries(Array.from({ length: DATABASES }, (_, i) => [`DB${i}`, `ledger-${i}`])),
    cf: false,
  })
  await mf.ready
}, 120_000)

afterAll(async () => {
  await mf?.dispose()
}, 60_000)

function binding(): D1DatabaseLike {
  if (next >= DATABASES) throw new Error(`the D1 conformance run needs more than ${DATABASES} databases`)
  return d1OverHttp((body) => mf.dispatchFetch('http://d1.relay/', { method: 'POST', body }), `DB${next++}`)
}

ledgerStoreConformance('D1 (workerd via Miniflare)', async () => {
  const db = binding()
  return {
    async open() {
      return d1LedgerStore(db)
    },
    async cleanup() {},
  }
})

describe('d1LedgerStore', () => {
  it('refuses something that is not a D1 binding', () => {
    expect(() => d1LedgerStore({} as D1DatabaseLike)).toThrow(TypeError)
    expect(() => d1LedgerStore(undefined as unknown as D1DatabaseLike)).toThrow(TypeError)
  })
})
