/** The order ledger: engine, in-memory store, and the store contract. */
export { createOrderLedger, DEFAULT_LEDGER_LEASE_TTL_MS, DEFAULT_LEDGER_LOOKBACK_MS, MAX_LEDGER_LOOKBACK_MS } from './ledger.js'
export type { LedgerBackfillOptions, LedgerBackfillResult, LedgerPassResult, OrderLedger, OrderLedgerOptions } from './ledger.js'
export type { LedgerChange, LedgerPunishChange, LedgerRefundChange, LedgerStatusChange } from './change.js'
export type { StreamResult as LedgerStreamResult } from './context.js'
export type { DeliveryResult as LedgerDeliveryResult } from './outbox.js'
export { memoryLedgerStore, type MemoryLedgerStoreOptions } from './memory-store.js'
export { fenOf, fenText } from './money.js'
