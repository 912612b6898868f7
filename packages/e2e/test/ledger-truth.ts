import { fenText, type LedgerReader } from '@tbkit/core'
import type { OrderBook } from '@tbkit/emulator'

/**
 * A ledger against the order book's ground truth: every order present once
 * with its final record, every transition (distinct tk_status and
 * modified_time) stored once, every refund state and punishment state
 * stored once, and the stats exact to the fen. Returns the differences
 * (at most `max`), so a failing test shows what went wrong.
 */
export async function compareLedgerWithTruth(ledger: LedgerReader, book: OrderBook, max = 20): Promise<string[]> {
  const problems: string[] = []
  const note = (problem: string) => {
    if (problems.length < max) problems.push(problem)
  }
  let count = 0
  for (const order of book.truth.orders()) {
    count++
    const row = await ledger.getOrder(order.trade_id)
    if (!row) {
      note(`order ${order.trade_id} missing${order.late ? ' (late)' : ''}`)
      continue
    }
    if (row.record !== JSON.stringify(order.record)) note(`order ${order.trade_id}: final record differs`)
    const { statuses, events } = await ledger.history(order.trade_id)
    const have = statuses.map((s) => `${s.tkStatus}@${s.modifiedMs}`)
    const want = order.transitions.map((t) => `${t.tk_status}@${t.modified_ms}`)
    if (have.join() !== want.join()) note(`order ${order.trade_id}: transitions ${have.join(' ')} ≠ ${want.join(' ')}`)
    const refundKeys = events.filter((e) => e.type === 'refund').map((e) => e.key).sort()
    const wantRefunds = order.refunds.flatMap((r) => r.states.map((s) => `refund:${r.refund_suit_id}:${s.refund_status}:${s.modified_ms / 1000}`)).sort()
    if (refundKeys.join() !== wantRefunds.join()) note(`order ${order.trade_id}: refunds ${refundKeys.join(' ')} ≠ ${wantRefunds.join(' ')}`)
    const punishKeys = events.filter((e) => e.type === 'punish').map((e) => e.key)
    const wantPunish = order.punishments.flatMap((p) => p.states.map((s) => `punish:${p.tb_trade_id}:${s.punish_status}`))
    if (punishKeys.sort().join() !== [...new Set(wantPunish)].sort().join()) note(`order ${order.trade_id}: punishments ${punishKeys.join(' ')} ≠ ${wantPunish.join(' ')}`)
  }
  const totals = await ledger.totals()
  const truth = book.truth.totals()
  if (totals.orders !== count) note(`${totals.orders} orders in the ledger, ${count} in the book (duplicates or strays)`)
  if (totals.alipayTotalFen !== truth.alipayTotalFen) note(`alipay_total_price ${fenText(totals.alipayTotalFen)} ≠ ${fenText(truth.alipayTotalFen)}`)
  if (totals.pubSharePreFen !== truth.pubSharePreFen) note(`pub_share_pre_fee ${fenText(totals.pubSharePreFen)} ≠ ${fenText(truth.pubSharePreFen)}`)
  if (totals.pubShareFen !== truth.pubShareFen) note(`pub_share_fee ${fenText(totals.pubShareFen)} ≠ ${fenText(truth.pubShareFen)}`)
  for (const by of ['day', 'status', 'adzone', 'relation'] as const) {
    // Row order is the store's own (statuses sort as numbers there, as text in the truth): compare sorted.
    const have = (await ledger.stats(by)).map((r) => `${r.key}:${r.orders}:${r.alipayTotalFen}:${r.pubSharePreFen}:${r.pubShareFen}`).sort()
    const want = book.truth.stats(by).map((r) => `${r.key}:${r.orders}:${r.alipayTotalFen}:${r.pubSharePreFen}:${r.pubShareFen}`).sort()
    if (have.join() !== want.join()) note(`stats by ${by} differ`)
  }
  return problems
}
