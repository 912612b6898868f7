import { ledgerStoreConformance } from '../../test-support/src/ledger-store-conformance.js'
import { memoryLedgerStore } from '../src/index.js'

// The memory store has no connections: every "runner" shares the one store.
ledgerStoreConformance('memory', async () => {
  const store = memoryLedgerStore()
  let closed = false
  return {
    async open() {
      return { ...store, close: async () => {} }
    },
    async cleanup() {
      if (!closed) await store.close()
      closed = true
    },
  }
})
