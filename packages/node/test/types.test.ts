import { Readable } from 'node:stream'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { ParamsOf, TopFileInput } from '@tbkit/core'
import { createClient, fileFrom, type NodeFileInput } from '../src/index.js'

type PicStream = NonNullable<ParamsOf<'taobao.tbk.sc.pic.embed'>['pic_stream']>

describe('file param types', () => {
  it('byte[] params accept every Node file value once @tbkit/node is loaded', () => {
    expectTypeOf<NodeFileInput>().toExtend<TopFileInput>()
    expectTypeOf<ReturnType<typeof fileFrom>>().toExtend<PicStream>()
    expectTypeOf<Buffer>().toExtend<PicStream>()
    expectTypeOf<Readable>().toExtend<PicStream>()
    expectTypeOf<Blob>().toExtend<PicStream>()
    expectTypeOf<string>().not.toExtend<PicStream>()
    expectTypeOf<number>().not.toExtend<PicStream>()
  })

  it('a typed upload call compiles with a path reference and rejects a bare path string', async () => {
    const client = createClient({ appKey: 'k', appSecret: 's', endpoint: 'http://127.0.0.1:9/router/rest', proxy: false })
    const params = { adzone_id: 1, item_id: 2n, site_id: '3', pic_stream: fileFrom('a.png') }
    // A bare string is not a file: the types refuse it, and so does validation at run time.
    // @ts-expect-error pic_stream must be a file value
    const wrong = client.call('taobao.tbk.sc.pic.embed', { ...params, pic_stream: 'a.png' }, { session: 's' })
    await expect(wrong).rejects.toMatchObject({ name: 'TopValidationError', param: 'pic_stream' })
    await client.close()
  })
})
