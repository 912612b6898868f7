import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decimal, DecimalTotal, difference, percentOf, sum } from '../src/normalize/decimal.js'
import { itemDetail, searchItem } from '../src/normalize/items.js'
import { OrderTally, orderView } from '../src/normalize/orders.js'

describe('money as exact decimal strings', () => {
  it('formats amounts with at least two decimals and never rounds what the platform sent', () => {
    expect(decimal('19.9')).toBe('19.90')
    expect(decimal(5)).toBe('5.00')
    expect(decimal(19.9)).toBe('19.90')
    expect(decimal('1.234')).toBe('1.234')
    expect(decimal('-0.5')).toBe('-0.50')
    expect(decimal(' 7 ')).toBe('7.00')
    for (const bad of ['', 'abc', '1e3', NaN, Infinity, null, undefined, {}, '1.2.3']) expect(decimal(bad)).toBeNull()
  })

  it('sums exactly where floats would not (0.1 + 0.2), in constant memory', () => {
    expect(sum(['0.1', '0.2'])).toBe('0.30')
    expect(sum([])).toBe('0.00')
    expect(sum(['1.005', '2', 'junk'])).toBe('3.005')
    const total = new DecimalTotal()
    for (let i = 0; i < 10_000; i++) total.add('0.01')
    expect(total.toString()).toBe('100.00')
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 })), (fens) => {
        const expected = fens.reduce((a, b) => a + BigInt(b), 0n)
        expect(sum(fens.map((f) => (f / 100).toFixed(2)))).toBe(`${expected / 100n}.${String(expected % 100n).padStart(2, '0')}`)
      }),
    )
  })

  it('takes a percentage to the fen, half away from zero', () => {
    expect(percentOf('137.00', '4.00')).toBe('5.48')
    expect(percentOf('10.00', '0.05')).toBe('0.01') // 0.005 → 0.01
    expect(percentOf('10.00', '0.04')).toBe('0.00')
    expect(percentOf('-10.00', '0.05')).toBe('-0.01')
    expect(percentOf('x', '1')).toBeNull()
    expect(difference('147.00', '137')).toBe('10.00')
  })
})

describe('normalised answers', () => {
  it('a search item: ids past 2^53 as strings, an itemised coupon, the platform’s own commission, absolute links', () => {
    const item = searchItem({
      item_id: 'AbC-xYz',
      item_basic_info: { title: 'T', seller_id: '4793168816102206594', user_type: 1, shop_title: 'S', volume: 12, pict_url: '//img.alicdn.com/a.jpg' },
      price_promotion_info: {
        zk_final_price: '100',
        final_promotion_price: '80.5',
        reserve_price: 120,
        final_promotion_path_list: [
          { promotion_title: '商品券', promotion_fee: '15', promotion_desc: '满99减15' },
          { promotion_title: '跨店满减', promotion_fee: '4.5' },
        ],
      },
      publish_info: { income_rate: '10', income_info: { commission_amount: '8.05', subsidy_amount: '0.5' }, click_url: '//s.click.taobao.com/x', coupon_share_url: '//uland.taobao.com/c' },
    })
    expect(item).toMatchObject({
      item_id: 'AbC-xYz',
      image: 'https://img.alicdn.com/a.jpg',
      shop: { seller_id: '4793168816102206594', type: 'tmall', name: 'S' },
      price: { original: '100.00', final: '80.50', list: '120.00' },
      discount: '19.50',
      coupon: { amount: '15.00', title: '商品券', description: '满99减15' },
      commission: { rate_percent: '10.00', amount: '8.55', basis: 'platform' },
      promotion_link: 'https://uland.taobao.com/c',
      coupon_link: 'https://uland.taobao.com/c',
      sales_30d: 12,
    })
  })

  it('survives a hostile or drifting answer: wrong types become nulls, never a crash or a wrong number', () => {
    const item = searchItem({ item_id: 12345, item_basic_info: 'x', price_promotion_info: [], publish_info: { click_url: 'javascript:alert(1)', income_rate: 'high' } })
    expect(item).toMatchObject({ item_id: '12345', title: null, price: { original: null, final: null }, discount: '0.00', coupon: null, promotion_link: null, commission: { rate_percent: null, amount: null, basis: null } })
    expect(itemDetail({ num_iid: 1.5, small_images: 'x', volume: -1 })).toMatchObject({ item_id: '', images: [], sales_30d: null })
    expect(orderView({ trade_id: '1152921504606846976', tk_status: '14', refund_tag: 1, alipay_total_price: 'x' })).toMatchObject({
      trade_id: '1152921504606846976',
      status: 14,
      status_name: 'received (确认收货)',
      refund: true,
      paid_amount: null,
    })
  })

  it('tallies orders per status with exact sums', () => {
    const tally = new OrderTally()
    for (const [status, paid] of [[12, '0.10'], [12, '0.20'], [3, '1.005']] as const) tally.add(orderView({ trade_id: '1', tk_status: status, alipay_total_price: paid, pub_share_pre_fee: '0.01' }))
    expect(tally.view()).toEqual({
      orders: 3,
      paid_amount: '1.305',
      estimated_income: '0.03',
      settled_income: '0.00',
      refunds: 0,
      by_status: [
        { status: 3, status_name: 'settled (已结算)', orders: 1, paid_amount: '1.005', estimated_income: '0.01', settled_income: '0.00' },
        { status: 12, status_name: 'paid (已付款)', orders: 2, paid_amount: '0.30', estimated_income: '0.02', settled_income: '0.00' },
      ],
    })
  })
})
