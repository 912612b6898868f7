/** The read and the write the e2e suites exercise, with params the catalog accepts. */

/** A read: safe to repeat, retried on retryable faults. */
export const READ = 'taobao.tbk.item.info.get'
export const READ_PARAMS = { num_iids: '600000000001' }

/** A write (creates a 淘礼金 campaign): sent at most once unless the caller opts in. */
export const WRITE = 'taobao.tbk.dg.vegas.tlj.create'
export const WRITE_PARAMS = {
  adzone_id: 123456,
  item_id: '600000000001',
  total_num: 10,
  name: '淘礼金',
  user_total_win_num_limit: 1,
  security_switch: true,
  per_face: '1.00',
  send_start_time: '2030-01-01 00:00:00',
}
