// 物料搜索: search the material library and page through the results.
//   node examples/node/search.mjs [keyword] [how many]
import { adzoneId, connect } from './connect.mjs'

const q = process.argv[2] ?? '连衣裙'
const limit = Number(process.argv[3] ?? 30)
const { client, close } = await connect()
try {
  let count = 0
  // paginate fetches pages (page_no / page_size) as the loop consumes them and stops at `limit`.
  for await (const item of client.paginate('taobao.tbk.dg.material.optional.upgrade', { q, adzone_id: adzoneId() }, { pageSize: 20, limit })) {
    count++
    const price = item.price_promotion_info?.final_promotion_price ?? item.price_promotion_info?.zk_final_price
    console.log(`${String(count).padStart(3)}. ${item.item_basic_info?.title}  ¥${price}  佣金比率 ${item.publish_info?.income_rate}%`)
  }
  console.log(`${count} items for ${q}`)
} finally {
  await close()
}
