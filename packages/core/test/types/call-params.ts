// Compiled by test/types.test.ts (`tsc -p test/types`), never run. Every
// `@ts-expect-error` must meet an error, so each marks a call that must not
// compile; every other line must compile.
import type { TopClient, TopValidationError } from '../../src/index.js'

declare const client: TopClient
declare const bytes: Uint8Array
declare const blob: Blob

export async function tpwdCreate(): Promise<void> {
  const result = await client.call('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/x' })
  const password: string | undefined = result.data?.password_simple
  void password
  // @ts-expect-error url is required
  await client.call('taobao.tbk.tpwd.create', { text: 'x' })
  // @ts-expect-error params are required when a param is
  await client.call('taobao.tbk.tpwd.create')
  // @ts-expect-error unknown param name
  await client.call('taobao.tbk.tpwd.create', { url: 'x', link: 'x' })
  // @ts-expect-error url is a String
  await client.call('taobao.tbk.tpwd.create', { url: 42 })
  // @ts-expect-error no such result field
  void result.data?.password
}

export async function numbersAndLists(): Promise<void> {
  // Number params take number, bigint or numeric text; comma lists take arrays.
  await client.call('taobao.tbk.item.info.get', { num_iids: [1, 2n, '3'], platform: 2, ip: '1.2.3.4' })
  await client.call('taobao.tbk.item.info.get', { num_iids: '1,2,3' })
  // @ts-expect-error platform is a Number
  await client.call('taobao.tbk.item.info.get', { num_iids: '1', platform: true })
  // @ts-expect-error num_iids is required
  await client.call('taobao.tbk.item.info.get', { platform: 1 })
  // Date params take a Date or the gateway's text; order.details.get documents its times as String.
  await client.call('taobao.tbk.dg.newuser.order.get', { activity_id: 'x', start_time: new Date(), end_time: '2025-01-01 00:00:00' })
  // @ts-expect-error a Date param is not a number
  await client.call('taobao.tbk.dg.newuser.order.get', { activity_id: 'x', start_time: 1 })
  // @ts-expect-error a String param is not a Date
  await client.call('taobao.tbk.order.details.get', { start_time: new Date(), end_time: '2025-01-01 00:00:00' })
}

export async function fileUpload(): Promise<void> {
  await client.call('taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 2n, site_id: '3', pic_stream: bytes }, { session: 's' })
  await client.call('taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 2, site_id: 3, pic_stream: blob })
  // @ts-expect-error a file param takes a file, not a path string (use fileFrom)
  await client.call('taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 2, site_id: 3, pic_stream: '/tmp/a.png' })
  // @ts-expect-error site_id is required
  await client.call('taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 2, pic_stream: bytes })
}

export async function objectParam(): Promise<void> {
  await client.call('taobao.tbk.dg.material.optional.upgrade', {
    adzone_id: 123,
    q: '女装',
    ucrowd_rank_items: [{ item_id: '1', commirate: 1234, price: '9.9' }],
  })
  // A JSON param may also be sent as JSON text.
  await client.call('taobao.tbk.dg.material.optional.upgrade', { adzone_id: 123, ucrowd_rank_items: '[{"item_id":"1"}]' })
  // @ts-expect-error unknown field inside the typed object
  await client.call('taobao.tbk.dg.material.optional.upgrade', { adzone_id: 123, ucrowd_rank_items: [{ item_id: '1', commission: 1 }] })
  // @ts-expect-error the param is a list of objects, not a number
  await client.call('taobao.tbk.dg.material.optional.upgrade', { adzone_id: 123, ucrowd_rank_items: 42 })
}

export async function listResult(): Promise<void> {
  const page = await client.call('taobao.tbk.dg.material.optional.upgrade', { adzone_id: 1 })
  const items = page.result_list ?? []
  const first = items[0]
  const title: string | undefined = first?.item_basic_info?.title
  const id: string | undefined = first?.item_id
  const total: number | undefined = page.total_results
  void [title, id, total, items.map((item) => item.publish_info?.click_url)]
  // @ts-expect-error result fields are optional: the platform may omit them
  page.result_list.map((item) => item)

  const orders = await client.call('taobao.tbk.order.details.get', { start_time: '2025-01-01 00:00:00', end_time: '2025-01-01 00:20:00' })
  const order = orders.data?.results?.[0]
  // The docs type trade_id as String; Number ids arrive as strings once past 2^53.
  const tradeId: string | undefined = order?.trade_id
  const relationId: number | string | undefined = order?.relation_id
  void [tradeId, relationId]
  // @ts-expect-error a Number id is not always a number
  const lossy: number | undefined = order?.relation_id
  void lossy
}

export async function untypedMethods(): Promise<void> {
  // A method outside the catalog is callable, visibly untyped.
  const result: Record<string, unknown> = await client.callUntyped('taobao.tbk.some.future.api', { anything: 1 })
  void result
  await client.callUntyped('taobao.tbk.some.future.api')
  const dynamic: string = ['taobao.tbk.some.future.api'][0]!
  await client.callUntyped(dynamic, {})
}

export async function onlyCatalogMethods(): Promise<void> {
  // @ts-expect-error a misspelt method does not compile (optinal)
  await client.call('taobao.tbk.dg.material.optinal', { q: '连衣裙', adzone_id: 1 })
  // @ts-expect-error nor does a method outside the catalog: it goes through callUntyped
  await client.call('taobao.tbk.some.future.api', { anything: 1 })
  const dynamic: string = 'taobao.tbk.dg.material.optional'
  // @ts-expect-error nor a name only known at run time
  await client.call(dynamic, {})
}

export function errorNamesMethodAndParam(error: TopValidationError): string {
  return `${error.method ?? ''} ${error.param ?? ''}`
}
