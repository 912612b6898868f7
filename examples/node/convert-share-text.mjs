// 转链: a buyer pastes share text; reply with your own commissioned link and 淘口令.
//   node examples/node/convert-share-text.mjs ['【淘宝】…￥AbCdEfGhIjK￥… 或 https://item.taobao.com/item.htm?id=…']
import { extractLinks, parseTpwd } from '@tbkit/node'
import { adzoneId, connect } from './connect.mjs'

const shareText = process.argv[2] ?? '【淘宝】好物分享 https://item.taobao.com/item.htm?id=688401422805 复制这段描述￥AbCdEfGhIjK￥后到淘宝'

/**
 * Find the 淘口令 or link in the text, resolve it (general.link.parse), convert
 * it to your 推广位 (general.link.convert) and make a fresh 淘口令 (tpwd.create).
 * One function, so it can be swapped for a library helper when there is one.
 */
async function convertShareText(client, text, adzone) {
  // A 淘口令 wins: it is what the share points at. Else the first Taobao/Tmall link.
  const [tpwd] = parseTpwd(text)
  const [link] = extractLinks(text)
  const material = tpwd ? (tpwd.form === 'symbols' ? tpwd.text : `￥${tpwd.token}￥`) : link?.url
  if (!material) throw new Error('no 淘口令 or Taobao/Tmall link in the text')

  const parsed = await client.call('taobao.tbk.dg.general.link.parse', {
    adzone_id: adzone,
    material_dto: JSON.stringify([{ material_url: material }]),
  })
  const found = parsed.data?.material_url_list?.[0]?.link_info_dto
  const converted = await client.call('taobao.tbk.dg.general.link.convert', { adzone_id: adzone, material_list: material })
  const links = converted.data?.material_url_list?.[0]?.link_info_dto
  // The coupon (二合一) link when there is one, else the plain CPS link.
  const commissioned = links?.coupon_short_url ?? links?.cps_short_url
  if (!commissioned) throw new Error('the platform gave no commissioned link for this material')
  const created = await client.call('taobao.tbk.tpwd.create', { url: commissioned.startsWith('//') ? `https:${commissioned}` : commissioned })
  return { material, itemId: found?.material_id, link: commissioned, tpwd: created.data?.password_simple, share: created.data?.model }
}

const { client, close } = await connect()
try {
  const result = await convertShareText(client, shareText, adzoneId())
  console.log(`found:  ${result.material}${result.itemId ? ` (item ${result.itemId})` : ''}`)
  console.log(`link:   ${result.link}`)
  console.log(`淘口令: ${result.tpwd}`)
  console.log(`share:  ${result.share}`)
} finally {
  await close()
}
