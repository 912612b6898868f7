// 报表查询: a daily report per 推广位 (clicks, orders, amount, estimated income) for the last N days.
//   node examples/node/report.mjs [days]
import { formatTimestamp } from '@tbkit/node'
import { connect } from './connect.mjs'

const days = Number(process.argv[2] ?? 3)
const REPORT = 'union_channel_content_basic_v1' // the report_type_id your account is granted
const PAGE_SIZE = 50
const { client, close } = await connect()
try {
  for (let back = days; back >= 1; back--) {
    // The platform's day (GMT+8) as yyyyMMdd.
    const ds = formatTimestamp(Date.now() - back * 24 * 3600_000).slice(0, 10).replaceAll('-', '')
    const rows = []
    let columns = []
    // Page until the total is reached; bounded, in case an answer never says.
    for (let page = 1; page <= 100; page++) {
      const result = await client.call('taobao.tbk.dg.reports.query', { report_type_id: REPORT, filters: `ds=${ds}`, page_no: page, page_size: PAGE_SIZE })
      columns = (result.column_list ?? []).map((column) => column.split(' ')[0])
      rows.push(...(result.row_list ?? []))
      if ((result.row_list ?? []).length < PAGE_SIZE || rows.length >= (result.page_info?.total_cnt ?? 0)) break
    }
    const sum = (name) => rows.reduce((total, row) => total + Number(row[columns.indexOf(name)] ?? 0), 0)
    console.log(`${ds}: ${rows.length} 推广位, ${sum('click')} clicks, ${sum('alipay_num')} orders, ¥${sum('alipay_amt').toFixed(2)} paid, 预估收入 ¥${sum('pre_pub_share_fee').toFixed(2)}`)
  }
} finally {
  await close()
}
