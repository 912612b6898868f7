/**
 * What the ledger hands to `onChange`: one new order status, refund state
 * or punishment state. `key` is stable (built from the platform's own
 * identity of the change), so a handler that records the keys it has
 * applied can ignore a redelivery.
 */

/** An order seen with a (`tk_status`, `modified_time`) the ledger had not stored: a new order, or its status (or refund tag) changed. */
export interface LedgerStatusChange {
  readonly kind: 'status'
  /** `status:<trade_id>:<tk_status>:<modified_time as epoch seconds>`. */
  readonly key: string
  readonly tradeId: string
  readonly tradeParentId: string | null
  /** 12 paid, 14 received, 3 settled, 13 closed. */
  readonly tkStatus: number
  readonly refundTag: number
  /** GMT+8 `yyyy-MM-dd HH:mm:ss`, as the platform wrote it. */
  readonly modifiedTime: string
  readonly adzoneId: string | null
  readonly relationId: string | null
  readonly specialId: string | null
  /** Exact decimal strings, as the platform wrote them. */
  readonly alipayTotalPrice: string
  readonly pubSharePreFee: string
  readonly pubShareFee: string
}

/** A refund (维权) seen in a state the ledger had not stored. */
export interface LedgerRefundChange {
  readonly kind: 'refund'
  /** `refund:<refund_suit_id>:<refund_status>:<modified_time as epoch seconds>`. */
  readonly key: string
  readonly tradeId: string
  readonly refundSuitId: string
  readonly refundStatus: number
  readonly modifiedTime: string
  /** 应退还 (what the refund claws back), exact decimal strings. */
  readonly refundFee: string
  readonly showReturnFee: string
}

/** A punishment (处罚) seen in a state the ledger had not stored. */
export interface LedgerPunishChange {
  readonly kind: 'punish'
  /** `punish:<tb_trade_id>:<punish_status>`: the API gives a punishment no time of its own. */
  readonly key: string
  readonly tradeId: string
  /** "0" frozen, "1" unfrozen. */
  readonly punishStatus: string
  readonly violationType: string | null
}

/** One change of the ledger, delivered to `onChange` at least once. */
export type LedgerChange = LedgerStatusChange | LedgerRefundChange | LedgerPunishChange
