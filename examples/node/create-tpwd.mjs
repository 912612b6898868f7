// 淘口令生成: turn a link into a 淘口令 and the text to share.
//   node examples/node/create-tpwd.mjs [url] [text]
import { connect } from './connect.mjs'

const url = process.argv[2] ?? 'https://s.click.taobao.com/t?e=example'
const text = process.argv[3] ?? '超值好物'
const { client, close } = await connect()
try {
  const { data } = await client.call('taobao.tbk.tpwd.create', { url, text })
  console.log(`淘口令: ${data?.password_simple}`)
  console.log(`share:  ${data?.model}`)
} finally {
  await close()
}
