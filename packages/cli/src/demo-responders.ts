import { createHash } from 'node:crypto'
import type { Emulator } from '@tbkit/emulator'
import { installShareResponders } from './share-responders.js'

/**
 * Answers that follow the request, for the demo and `tbk emulator`: the
 * emulator's default (each API's documented example) is the same whatever
 * you send, which makes a poor first impression of a search or a conversion.
 */
export function installDemoResponders(emulator: Emulator): void {
  emulator.handle('taobao.tbk.dg.material.optional.upgrade', ({ params }) => {
    const q = params.q || '热卖'
    const pageSize = Math.min(Number(params.page_size) || 3, 20)
    const items = Array.from({ length: pageSize }, (_, i) => {
      const price = 29.9 + i * 10
      return {
        item_id: `demo${token(`${q}${i}`, 10)}`,
        item_basic_info: { title: `${q} 示例商品 ${i + 1}`, shop_title: `示例旗舰店 ${i + 1}`, volume: 1000 - i * 120 },
        price_promotion_info: { zk_final_price: price.toFixed(2), final_promotion_price: (price - 5).toFixed(2) },
        publish_info: { income_rate: (5 + i).toFixed(2), click_url: `//s.click.taobao.com/t?e=${token(q + i, 16)}` },
      }
    })
    return { total_results: 120, result_list: items }
  })

  emulator.handle('taobao.tbk.dg.general.link.parse', ({ params }) => {
    const material = materialOf(params.material_dto)
    const itemId = /[?&]id=(\d{6,20})/.exec(material)?.[1] ?? '688401422805'
    return {
      data: { material_url_list: [{ code: 0, input_material_url: material, link_info_dto: { material_type: 1, material_id: itemId, tk_biz_type: 2 } }] },
    }
  })

  emulator.handle('taobao.tbk.dg.general.link.convert', ({ params }) => {
    const material = params.material_list ?? ''
    const id = token(`${material}|${params.adzone_id}`, 7)
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
              cps_short_tpwd: `￥${token(id, 11)}￥`,
            },
          },
        ],
      },
    }
  })

  emulator.handle('taobao.tbk.tpwd.create', ({ params }) => {
    const tpwd = token(params.url ?? '', 11)
    return { data: { password_simple: `￥${tpwd}￥`, model: `6￥${tpwd}￥ https://m.tb.cn/h.${token(tpwd, 7)} 打开淘宝查看` } }
  })
  installShareResponders(emulator)
}

function materialOf(json: string | undefined): string {
  try {
    const list = JSON.parse(json ?? '[]') as { material_url?: string }[]
    return list[0]?.material_url ?? ''
  } catch {
    return ''
  }
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

/** A stable token from text, shaped like the platform's. */
function token(text: string, length: number): string {
  const digest = createHash('sha256').update(text).digest()
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHABET[digest[i]! % ALPHABET.length]
  return out
}
