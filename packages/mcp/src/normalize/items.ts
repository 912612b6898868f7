import * as z from 'zod/v4'
import { decimal, difference, isPositive, percentOf, sum } from './decimal.js'
import { bool, count, id, link, list, record, shopType, text } from './fields.js'

const money = z.string().describe('Yuan (元) as an exact decimal string, e.g. "19.90"')
const nullableMoney = money.nullable()

const shopSchema = z.object({
  name: z.string().nullable().describe('店铺名称'),
  seller_id: z.string().nullable().describe('卖家 id, as a string (it can exceed 2^53)'),
  type: z.enum(['taobao', 'tmall', 'taobao-special']).nullable().describe('taobao (集市), tmall (天猫) or taobao-special (特价版)'),
})

export const searchItemSchema = z.object({
  item_id: z.string().describe('The item id (淘宝客新商品id), as a string; pass it to item_details'),
  title: z.string().nullable(),
  short_title: z.string().nullable(),
  image: z.string().nullable().describe('Main picture (主图) URL'),
  category: z.string().nullable().describe('叶子类目名称'),
  shop: shopSchema,
  price: z.object({
    original: nullableMoney.describe('Sale price (销售价 zk_final_price)'),
    final: nullableMoney.describe('Estimated price after promotions (预估到手价 final_promotion_price)'),
    list: nullableMoney.describe('List price (一口价/划线价 reserve_price)'),
  }),
  discount: money.describe('original − final: every promotion together (优惠), coupons included; "0.00" when none'),
  coupon: z
    .object({ amount: money, title: z.string().nullable(), description: z.string().nullable() })
    .nullable()
    .describe('The coupon (优惠券) part of the discount, when the platform itemises it'),
  commission: z.object({
    rate_percent: nullableMoney.describe('Income rate in percent (收入比率 = 佣金比率 + 补贴比率), e.g. "5.00" = 5%'),
    amount: nullableMoney.describe('Income per item sold (预估佣金) in yuan'),
    basis: z.enum(['platform', 'estimated']).nullable().describe('platform: the platform stated it; estimated: final price × rate, rounded to the fen'),
  }),
  sales_30d: z.number().nullable().describe('30天销量'),
  promotion_link: z.string().nullable().describe("Your commissioned link (推广链接; the coupon 二合一 link when there is one): share it, or turn it into a 淘口令 with create_tpwd"),
  coupon_link: z.string().nullable().describe('The coupon + item 二合一 page (coupon_share_url), when there is one'),
})
export type SearchItem = z.infer<typeof searchItemSchema>

/** One `taobao.tbk.dg.material.optional.upgrade` result, normalised: ids and money as strings. */
export function searchItem(raw: Record<string, unknown>): SearchItem {
  const basic = record(raw.item_basic_info)
  const prices = record(raw.price_promotion_info)
  const publish = record(raw.publish_info)
  const income = record(publish.income_info)
  const original = decimal(prices.zk_final_price)
  const final = decimal(prices.final_promotion_price)
  const coupons = list(prices.final_promotion_path_list).filter((step) => (text(step.promotion_title) ?? '').includes('券'))
  const couponAmount = coupons.length > 0 ? sum(coupons.map((step) => step.promotion_fee)) : null
  const rate = decimal(publish.income_rate)
  const stated = [income.commission_amount, income.subsidy_amount].filter((v) => decimal(v) !== null)
  const amount = stated.length > 0 ? sum(stated) : percentOf(final ?? original, rate)
  const off = original !== null && final !== null ? difference(original, final) : null
  const couponLink = link(publish.coupon_share_url)
  return {
    item_id: id(raw.item_id) ?? '',
    title: text(basic.title),
    short_title: text(basic.short_title),
    image: link(basic.pict_url),
    category: text(basic.category_name),
    shop: { name: text(basic.shop_title), seller_id: id(basic.seller_id), type: shopType(basic.user_type) },
    price: { original, final, list: decimal(prices.reserve_price) },
    discount: off !== null && isPositive(off) ? off : '0.00',
    coupon:
      couponAmount === null
        ? null
        : { amount: couponAmount, title: coupons.map((c) => text(c.promotion_title)).filter(Boolean).join(' + ') || null, description: coupons.map((c) => text(c.promotion_desc)).filter(Boolean).join('; ') || null },
    commission: { rate_percent: rate, amount, basis: stated.length > 0 ? 'platform' : amount === null ? null : 'estimated' },
    sales_30d: count(basic.volume),
    promotion_link: couponLink ?? link(publish.click_url),
    coupon_link: couponLink,
  }
}

export const itemDetailSchema = z.object({
  item_id: z.string().describe('The id as you passed it (input_num_iid), else the platform’s num_iid'),
  num_iid: z.string().nullable().describe('The platform’s item id (商品ID) in its answer'),
  title: z.string().nullable(),
  image: z.string().nullable().describe('主图 URL'),
  images: z.array(z.string()).describe('小图 URLs'),
  category: z.string().nullable().describe('一级类目 / 叶子类目'),
  shop: shopSchema,
  price: z.object({
    list: nullableMoney.describe('一口价 reserve_price'),
    original: nullableMoney.describe('折扣价 zk_final_price (the presale price during a presale)'),
    activity: nullableMoney.describe('活动价 sale_price, when in an activity'),
  }),
  location: z.string().nullable().describe('商品所在地'),
  sales_30d: z.number().nullable().describe('30天销量'),
  free_shipping: z.boolean().nullable().describe('包邮'),
  item_url: z.string().nullable().describe('The item page (not a commissioned link: use convert_share_text for yours)'),
  presale: z
    .object({ deposit: nullableMoney.describe('定金'), discount_text: z.string().nullable() })
    .nullable()
    .describe('预售 terms, for a presale item'),
})
export type ItemDetail = z.infer<typeof itemDetailSchema>

/** One `taobao.tbk.item.info.get` result, normalised. */
export function itemDetail(raw: Record<string, unknown>): ItemDetail {
  const numIid = id(raw.num_iid)
  const deposit = decimal(raw.presale_deposit)
  const presaleText = text(raw.presale_discount_fee_text)
  return {
    item_id: id(raw.input_num_iid) ?? numIid ?? '',
    num_iid: numIid,
    title: text(raw.title),
    image: link(raw.pict_url),
    images: (Array.isArray(raw.small_images) ? raw.small_images : []).map(link).filter((url): url is string => url !== null),
    category: [text(raw.cat_name), text(raw.cat_leaf_name)].filter(Boolean).join(' / ') || null,
    shop: { name: text(raw.nick), seller_id: id(raw.seller_id), type: shopType(raw.user_type) },
    price: { list: decimal(raw.reserve_price), original: decimal(raw.zk_final_price), activity: decimal(raw.sale_price) },
    location: text(raw.provcity),
    sales_30d: count(raw.volume),
    free_shipping: bool(raw.free_shipment),
    item_url: link(raw.item_url),
    presale: deposit === null && presaleText === null ? null : { deposit, discount_text: presaleText },
  }
}
