import { describe, expect, it } from 'vitest'
import { fenOf, fenText, TopError } from '../src/index.js'
import { orderRowsOf, punishEventOf, refundEventOf } from '../src/workflows/ledger/rows.js'

/** Platform records → ledger rows: exact money, exact ids, hostile records refused with a typed error. */

const order = {
  trade_id: '2845012345678901234',
  trade_parent_id: '2845012345678901000',
  tk_status: 3,
  refund_tag: 0,
  modified_time: '2025-11-11 10:00:05',
  tk_create_time: '2025-11-11 00:00:01',
  tk_paid_time: '2025-11-11 00:00:09',
  tk_earning_time: '2025-11-11 09:59:00',
  adzone_id: 109876543210,
  site_id: 1234567,
  relation_id: 2774512345,
  alipay_total_price: '12345678901.99',
  pub_share_pre_fee: '0.10',
  pub_share_fee: '7',
}

describe('ledger rows', () => {
  it('keeps ids exact and money in integer fen, never through a float', () => {
    const { order: row, status } = orderRowsOf(order)
    expect(row.tradeId).toBe('2845012345678901234')
    expect(row.alipayTotalFen).toBe(1234567890199)
    expect(row.pubSharePreFen).toBe(10)
    expect(row.pubShareFen).toBe(700)
    expect(row.createDay).toBe('2025-11-11')
    expect(row.adzoneId).toBe('109876543210')
    expect(status.key).toBe(`status:2845012345678901234:3:${Date.UTC(2025, 10, 11, 2, 0, 5) / 1000}`)
    expect(JSON.parse(status.change)).toMatchObject({ kind: 'status', alipayTotalPrice: '12345678901.99', pubShareFee: '7' })
    expect(JSON.parse(row.record).trade_id).toBe('2845012345678901234')
  })

  it('sums exactly past 2^53 fen and prints two places', () => {
    expect(fenText(2n ** 60n + 5n)).toBe('11529215046068469.81')
    expect(fenText(-5)).toBe('-0.05')
    expect(fenOf('0.1', 'x')).toBe(10)
    expect(fenOf(undefined, 'x')).toBe(0)
  })

  it('refuses hostile records with a typed error', () => {
    expect(() => orderRowsOf({ ...order, trade_id: 1.5 })).toThrow(TopError)
    expect(() => orderRowsOf({ ...order, modified_time: 'yesterday' })).toThrow(/modified_time/)
    expect(() => orderRowsOf({ ...order, alipay_total_price: '1.234' })).toThrow(/alipay_total_price/)
    expect(() => orderRowsOf({ ...order, pub_share_fee: '1e9' })).toThrow(TopError)
    expect(() => refundEventOf({ tb_trade_id: '1', refund_suit_id: '2', refund_status: 'x', modified_time: '2025-11-11 00:00:00' })).toThrow(/refund_status/)
    expect(() => punishEventOf({ tb_trade_id: '1', punish_status: {} }, 0)).toThrow(/punish_status/)
  })

  it('keys refund and punishment states by the platform identity of the change', () => {
    const refund = refundEventOf({ tb_trade_id: '11', refund_suit_id: '22', refund_status: 2, modified_time: '2025-11-11 00:00:00', refund_fee: '3.00' })
    expect(refund.key).toBe(`refund:22:2:${Date.UTC(2025, 10, 10, 16) / 1000}`)
    expect(punishEventOf({ tb_trade_id: '11', punish_status: '1' }, 5).key).toBe('punish:11:1')
  })
})

describe('recordText', () => {
  it('keeps a record as JSON, a bigint anywhere in it as its digits', async () => {
    const { recordText } = await import('../src/workflows/ledger/rows.js')
    const plain = { trade_id: '2786130010010047891', pub_share_fee: '1.50', nested: { list: [1, 'a'] } }
    expect(recordText(plain)).toBe(JSON.stringify(plain))
    const withBigint = { trade_id: 2786130010010047891n, nested: { ids: [9007199254740993n, 2] } }
    expect(JSON.parse(recordText(withBigint))).toEqual({ trade_id: '2786130010010047891', nested: { ids: ['9007199254740993', 2] } })
  })
})
