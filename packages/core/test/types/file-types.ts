// Compiled by test/types.test.ts: a platform package widens the file type
// by declaration merging, as @tbkit/node does with its file values.
import type { TopClient, TopFileInput } from '../../src/index.js'

interface PlatformFile {
  readonly path: string
  readonly platformFile: true
}

declare module '../../src/protocol/files.js' {
  interface TopFileTypes {
    platform: PlatformFile
  }
}

declare const client: TopClient
declare const file: PlatformFile

export async function uploadPlatformFile(): Promise<void> {
  const input: TopFileInput = file
  await client.call('taobao.tbk.dg.pic.embed', { pic_stream: input, adzone_id: 1, site_id: 2 } as never)
  await client.call('taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 2, site_id: 3, pic_stream: file })
  // @ts-expect-error still not any object
  await client.call('taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 2, site_id: 3, pic_stream: { path: 'x' } })
}
