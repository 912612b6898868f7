import { createHash } from 'node:crypto'
import type { Responder } from './handlers.js'
import { invalidArgument } from './gateway-errors.js'

/** 淘口令 conversion, the promoter's and the service provider's (sc: for an authorized user). */
const tpwdConvert: Responder = ({ params }) => {
  const token = /^\W?(\w+)\W*$/.exec(params.password_content ?? '')?.[1] ?? ''
  return { data: { num_iid: itemIdOf(token), click_url: `https://s.click.taobao.com/t?e=${stable(`${token}|${params.adzone_id}`, 24)}`, url_type: '1' } }
}

/**
 * Demo answers for the share-text conversion APIs (`convertShareText`,
 * `tbk convert`): each follows its request (a 淘口令 or item id in, a link of
 * its own out), where the documented examples would name one fixed item
 * whatever was sent.
 */
export const DEMO_SHARE_RESPONDERS: Readonly<Record<string, Responder>> = {
  'taobao.tbk.tpwd.convert': tpwdConvert,
  'taobao.tbk.sc.tpwd.convert': tpwdConvert,
  'taobao.tbk.item.click.extract': ({ params }) => {
    const url = params.click_url ?? ''
    return { item_id: /[?&](?:id|itemId)=(\d{5,20})/.exec(url)?.[1] ?? itemIdOf(url) }
  },
  'taobao.tbk.item.convert': ({ params }) => ({
    results: (params.num_iids ?? '')
      .split(',')
      .filter(Boolean)
      .map((id) => ({ num_iid: id, click_url: `https://s.click.taobao.com/t?e=${stable(`${id}|${params.adzone_id}`, 24)}` })),
  }),
  'taobao.tbk.spread.get': ({ params }) => {
    let requests: unknown
    try {
      requests = JSON.parse(params.requests ?? '[]')
    } catch {
      requests = undefined
    }
    if (!Array.isArray(requests) || !requests.every((r) => r !== null && typeof r === 'object')) {
      return { error: invalidArgument('requests', 'requests must be a JSON array of {"url": …} objects') }
    }
    return { results: (requests as { url?: string }[]).map(({ url }) => ({ content: `https://s.click.taobao.com/${stable(url ?? '', 7)}`, err_msg: 'OK' })), total_results: requests.length }
  },
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

function stable(text: string, length: number): string {
  const digest = createHash('sha256').update(text).digest()
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHABET[digest[i % digest.length]! % ALPHABET.length]
  return out
}

/** A made-up but stable item id for a 淘口令 or link. */
function itemIdOf(text: string): string {
  return `6${BigInt(`0x${createHash('sha256').update(text).digest('hex').slice(0, 12)}`).toString().padStart(11, '0').slice(0, 11)}`
}
