import { describe, expect, it } from 'vitest'
import {
  decodeResponse,
  envelopeName,
  TopApiError,
  TopAuthError,
  TopParamError,
  TopRateLimitError,
  TopRemoteError,
  TopTransportError,
  unwrapLists,
} from '../src/index.js'

describe('envelopeName', () => {
  it('follows the platform rule', () => {
    expect(envelopeName('taobao.tbk.item.convert')).toBe('tbk_item_convert_response')
    expect(envelopeName('tmall.x.y')).toBe('tmall_x_y_response')
  })
})

describe('decodeResponse', () => {
  const wrapped = JSON.stringify({
    tbk_item_info_get_response: {
      results: { n_tbk_item: [{ num_iid: 1, small_images: { string: ['a', 'b'] } }] },
      request_id: 'r1',
    },
  })
  const simplified = JSON.stringify({ results: [{ num_iid: 1, small_images: ['a', 'b'] }], request_id: 'r1' })

  it('gives the same shape for the wrapped and the simplified form', () => {
    const a = decodeResponse('taobao.tbk.item.info.get', 200, wrapped)
    const b = decodeResponse('taobao.tbk.item.info.get', 200, simplified)
    expect(a).toEqual(b)
    expect(a).toEqual({ results: [{ num_iid: 1, small_images: ['a', 'b'] }], request_id: 'r1' })
  })

  it('keeps objects that hold a wrapped list as objects', () => {
    expect(unwrapLists({ data: { results: { publisher_order_dto: [{ id: 1 }] } } })).toEqual({ data: { results: [{ id: 1 }] } })
  })

  it('keeps big ids exact', () => {
    const text = '{"tbk_order_details_get_response":{"data":{"results":{"publisher_order_dto":[{"trade_id":1234567890123456789}]}}}}'
    expect(decodeResponse('taobao.tbk.order.details.get', 200, text)).toEqual({ data: { results: [{ trade_id: '1234567890123456789' }] } })
  })

  it('turns error_response into typed errors', () => {
    const body = (code: number, sub?: string, subMsg?: string) =>
      JSON.stringify({ error_response: { code, msg: 'm', sub_code: sub, sub_msg: subMsg, request_id: 'rid' } })
    const fail = (text: string) => {
      try {
        decodeResponse('taobao.tbk.tpwd.create', 200, text)
      } catch (e) {
        return e as TopApiError
      }
      throw new Error('no error')
    }
    const e = fail(body(15, 'isv.invalid-parameter', '非法参数'))
    expect(e).toBeInstanceOf(TopRemoteError)
    expect({ code: e.code, msg: e.msg, subCode: e.subCode, subMsg: e.subMsg, requestId: e.requestId, method: e.method }).toEqual({
      code: 15,
      msg: 'm',
      subCode: 'isv.invalid-parameter',
      subMsg: '非法参数',
      requestId: 'rid',
      method: 'taobao.tbk.tpwd.create',
    })
    expect(e.retryable).toBe(false)
    expect(fail(body(15, 'isp.top-remote-connection-timeout')).retryable).toBe(true)
    expect(fail(body(10)).retryable).toBe(true)
    expect(fail(body(27))).toBeInstanceOf(TopAuthError)
    expect(fail(body(40))).toBeInstanceOf(TopParamError)
    const limited = fail(body(7, 'accesscontrol.limited-by-app-access-count', 'This ban will last for 3 more seconds'))
    expect(limited).toBeInstanceOf(TopRateLimitError)
    expect((limited as TopRateLimitError).retryAfterMs).toBe(3000)
  })

  it('turns non-answers into transport errors with an excerpt', () => {
    try {
      decodeResponse('taobao.tbk.tpwd.create', 502, '<html>Bad Gateway</html>')
      throw new Error('no error')
    } catch (e) {
      expect(e).toBeInstanceOf(TopTransportError)
      const t = e as TopTransportError
      expect([t.kind, t.status, t.bodyExcerpt, t.retryable]).toEqual(['http-status', 502, '<html>Bad Gateway</html>', true])
    }
    expect(() => decodeResponse('taobao.tbk.tpwd.create', 200, '{"truncated":')).toThrow(TopTransportError)
  })
})
