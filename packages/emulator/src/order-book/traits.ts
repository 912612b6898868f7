/**
 * An order's fixed fields, derived from its index by a seeded hash rather
 * than stored: the good, quantity and price, commission rates, and the
 * attribution (adzone, channel, member, role). Sub-orders of one checkout
 * share their attribution (one click, one buyer) but not their goods.
 */
import { ADZONES, GOODS, RELATION_IDS, SPECIAL_IDS, type Adzone, type Good } from './goods.js'
import { percentOf, scaleRound } from './money.js'
import { hashUnit } from './random.js'
import type { BookData } from './scenario.js'

export interface OrderTraits {
  readonly good: Good
  readonly itemNum: number
  readonly unitFen: number
  /** 付款金额: unit price × quantity. */
  readonly alipayFen: number
  /** 佣金比率, hundredths of a percent. */
  readonly commission: number
  /** 佣金分成比率, hundredths of a percent. */
  readonly share: number
  /** 平台技术服务费比率, hundredths of a percent. */
  readonly alimama: number
  /** 付款预估收入. */
  readonly preFeeFen: number
  readonly adzone: Adzone
  readonly relationId: number | undefined
  readonly specialId: number | undefined
  /** 2 二方, 3 三方. */
  readonly role: 2 | 3
  readonly wireless: boolean
  /** Seconds between the click and the order. */
  readonly clickLeadSec: number
}

const enum Salt {
  Good = 1,
  Num,
  Price,
  Adzone,
  Relation,
  RelationPick,
  Special,
  SpecialPick,
  Role,
  Terminal,
  Click,
  Share,
}

export function traitsOf(data: BookData, o: number): OrderTraits {
  const { seed, rates } = data.options
  const c = data.checkout[o]!
  const u = (salt: Salt, key = o) => hashUnit(seed, key, salt)
  const good = GOODS[Math.floor(u(Salt.Good) * GOODS.length)]!
  const itemNum = u(Salt.Num) < 0.8 ? 1 : 2 + Math.floor(u(Salt.Num, o + 0x9e37) * 2)
  const unitFen = good.minFen + Math.floor(u(Salt.Price) * (good.maxFen - good.minFen + 1) / 10) * 10
  const alipayFen = unitFen * itemNum
  const role: 2 | 3 = u(Salt.Role, c) < rates.thirdParty ? 3 : 2
  const share = role === 3 ? 8_000 : u(Salt.Share) < 0.7 ? 10_000 : 9_000
  const commission = good.commission
  return {
    good,
    itemNum,
    unitFen,
    alipayFen,
    commission,
    share,
    alimama: 1_000,
    preFeeFen: feeOf(alipayFen, commission, share),
    adzone: ADZONES[Math.floor(u(Salt.Adzone, c) * ADZONES.length)]!,
    relationId: u(Salt.Relation, c) < rates.relation ? RELATION_IDS[Math.floor(u(Salt.RelationPick, c) * RELATION_IDS.length)] : undefined,
    specialId: u(Salt.Special, c) < rates.special ? SPECIAL_IDS[Math.floor(u(Salt.SpecialPick, c) * SPECIAL_IDS.length)] : undefined,
    role,
    wireless: u(Salt.Terminal, c) < 0.9,
    clickLeadSec: 10 + Math.floor(u(Salt.Click, c) * 7200),
  }
}

/** Income on `baseFen`: base × commission rate × share rate. */
export function feeOf(baseFen: number, commission: number, share: number): number {
  return scaleRound(baseFen, commission * share, 100_000_000)
}

/** 佣金提成 = commission × share, in hundredths of a percent. */
export function totalRateOf(t: OrderTraits): number {
  return Math.round((t.commission * t.share) / 10_000)
}

/** The refund's amount (维权金额): part or all of what was paid, by a hash of the refund. */
export function refundFeeOf(data: BookData, r: number, t: OrderTraits): number {
  const part = hashUnit(data.options.seed, r, 0x5eed)
  return part < 0.6 ? t.alipayFen : Math.max(1, percentOf(t.alipayFen, 2_000 + Math.floor(part * 6_000)))
}
