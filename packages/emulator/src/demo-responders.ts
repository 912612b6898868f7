import { invalidArgument } from './gateway-errors.js'
import type { Responder } from './handlers.js'
import { demoFraction, demoToken } from './demo-token.js'

/**
 * Answers that follow the request, for `startEmulator({ demo: true })`: a
 * method's documented example is the same whatever you send, which makes a
 * poor search (one item, whatever the query or page) or conversion (someone
 * else's link). These page, echo the query and derive stable links and
 * 淘口令 from what was sent, so examples behave as they would for real.
 */
export const DEMO_RESPONDERS: Readonly<Record<string, Responder>> = {
  'taobao.tbk.dg.material.optional.upgrade': materialSearch,
  'taobao.tbk.dg.general.link.parse': linkParse,
  'taobao.tbk.dg.general.link.convert': linkConvert,
  'taobao.tbk.tpwd.create': tpwdCreate,
  'taobao.tbk.dg.reports.query': reportsQuery,
  'taobao.tbk.item.info.get': itemInfo,
}

/** How many items a demo search finds, whatever the query: enough for several pages. */
export const DEMO_SEARCH_TOTAL = 120
const DEMO_ITEM_ID = '688401422805'

function pageParams(params: Readonly<Record<string, string>>, defaultSize: number): { pageNo: number; pageSize: number } {
  const pageNo = Math.max(1, Math.trunc(Number(params.page_no)) || 1)
  const pageSize = Math.min(100, Math.max(1, Math.trunc(Number(params.page_size)) || defaultSize))
  return { pageNo, pageSize }
}

function materialSearch({ params }: { params: Readonly<Record<string, string>> }) {
  const q = params.q || '热卖'
  const { pageNo, pageSize } = pageParams(params, 20)
  const first = (pageNo - 1) * pageSize
  const count = Math.max(0, Math.min(pageSize, DEMO_SEARCH_TOTAL - first))
  const result_list = Array.from({ length: count }, (_, offset) => {
    const n = first + offset
    const price = 19.9 + Math.round(demoFraction(`${q}|price|${n}`) * 300) + n * 0.1
    const coupon = n % 3 === 0 ? 0 : 5 + (n % 4) * 5
    return {
      item_id: `${demoToken(`${q}|${n}`, 10)}-${demoToken(`id|${q}|${n}`, 16)}`,
      item_basic_info: {
        title: `${q} 示例商品 ${n + 1}`,
        shop_title: `示例旗舰店 ${(n % 7) + 1}`,
        volume: Math.max(0, 5000 - n * 37),
      },
      price_promotion_info: {
        zk_final_price: price.toFixed(2),
        final_promotion_price: Math.max(0.01, price - coupon).toFixed(2),
      },
      publish_info: {
        income_rate: (3 + (n % 8)).toFixed(2),
        click_url: `//s.click.taobao.com/t?e=${demoToken(`${q}|click|${n}`, 16)}`,
      },
    }
  })
  return { total_results: DEMO_SEARCH_TOTAL, result_list }
}

/** A numeric item id, or the 新商品id form the demo search answers (`token-token`). */
const DEMO_ITEM_ID_FORM = /^(?:\d{6,20}|[A-Za-z0-9]{6,32}-[A-Za-z0-9]{6,32})$/

/** Details for each well-formed id asked (a malformed one is left out, as the platform leaves out what it does not know). */
function itemInfo({ params }: { params: Readonly<Record<string, string>> }) {
  const ids = (params.num_iids ?? '').split(',').map((id) => id.trim())
  const results = ids
    .filter((id) => DEMO_ITEM_ID_FORM.test(id))
    .map((id) => {
      const price = 19.9 + Math.round(demoFraction(`${id}|price`) * 300)
      const shop = 1 + Math.floor(demoFraction(`${id}|shop`) * 7)
      return {
        input_num_iid: id,
        num_iid: id,
        title: `示例商品 ${demoToken(id, 6)}`,
        pict_url: `//img.alicdn.com/demo/${demoToken(id, 12)}.jpg`,
        small_images: [`//img.alicdn.com/demo/${demoToken(`${id}|1`, 12)}.jpg`],
        reserve_price: (price * 1.5).toFixed(2),
        zk_final_price: price.toFixed(2),
        user_type: shop % 2,
        provcity: '浙江 杭州',
        item_url: `https://item.taobao.com/item.htm?id=${/^\d+$/.test(id) ? id : DEMO_ITEM_ID}`,
        nick: `示例旗舰店 ${shop}`,
        seller_id: 2_200_000_000 + shop,
        volume: Math.round(demoFraction(`${id}|volume`) * 5000),
        cat_name: '女装',
        cat_leaf_name: '连衣裙',
        free_shipment: true,
      }
    })
  return { results }
}

function materialOf(json: string | undefined): string {
  try {
    const list = JSON.parse(json ?? '[]') as { material_url?: unknown }[]
    const url = Array.isArray(list) ? list[0]?.material_url : undefined
    return typeof url === 'string' ? url : ''
  } catch {
    return ''
  }
}

function linkParse({ params }: { params: Readonly<Record<string, string>> }) {
  const material = materialOf(params.material_dto)
  const itemId = /[?&]id=(\d{6,20})/.exec(material)?.[1] ?? DEMO_ITEM_ID
  return {
    data: {
      material_url_list: [{ code: 0, input_material_url: material, link_info_dto: { material_type: 1, material_id: itemId, tk_biz_type: 2 } }],
    },
  }
}

function linkConvert({ params }: { params: Readonly<Record<string, string>> }) {
  const material = params.material_list ?? ''
  const id = demoToken(`${material}|${params.adzone_id}`, 7)
  return {
    data: {
      material_url_list: [
        {
          code: 0,
          input_material_url: material,
          link_info_dto: {
            material_type: 1,
            cps_short_url: `https://s.click.taobao.com/${id}`,
            coupon_short_url: `https://s.click.taobao.com/c${id}`,
            cps_short_tpwd: `￥${demoToken(id, 11)}￥`,
          },
        },
      ],
    },
  }
}

function tpwdCreate({ params }: { params: Readonly<Record<string, string>> }) {
  const tpwd = demoToken(params.url ?? '', 11)
  return { data: { password_simple: `￥${tpwd}￥`, model: `6￥${tpwd}￥ https://m.tb.cn/h.${demoToken(tpwd, 7)} 打开淘宝查看` } }
}

/** `name 说明`, as the platform lists a report's columns. */
const REPORT_COLUMNS = [
  'ds 日期',
  'sub_adzone_id 推广位id',
  'click 淘客点击',
  'alipay_num 成交笔数',
  'alipay_amt 成交金额',
  'pre_pub_share_fee 预估收入',
] as const
const DEMO_ADZONES = 12

/** One row per 推广位 for the day `filters` names (`ds=yyyyMMdd`), paged. */
function reportsQuery({ params }: { params: Readonly<Record<string, string>> }) {
  const ds = /(?:^|[\s,;&])ds=(\d{8})(?:$|[\s,;&])/.exec(params.filters ?? '')?.[1]
  if (ds === undefined) return { error: invalidArgument('filters', 'the demo report needs filters=ds=yyyyMMdd') }
  const { pageNo, pageSize } = pageParams(params, 20)
  const first = (pageNo - 1) * pageSize
  const count = Math.max(0, Math.min(pageSize, DEMO_ADZONES - first))
  const row_list = Array.from({ length: count }, (_, offset) => {
    const adzone = 109_000_000_000 + first + offset
    const click = 200 + Math.round(demoFraction(`${ds}|${adzone}|click`) * 3000)
    const orders = Math.round(click * (0.01 + demoFraction(`${ds}|${adzone}|rate`) * 0.04))
    const amount = orders * (30 + demoFraction(`${ds}|${adzone}|price`) * 120)
    return [ds, String(adzone), click, orders, amount.toFixed(2), (amount * 0.06).toFixed(2)]
  })
  return {
    report_type_id: params.report_type_id,
    column_list: [...REPORT_COLUMNS],
    row_list,
    page_info: { page_no: pageNo, page_size: pageSize, total_cnt: DEMO_ADZONES },
  }
}
