// Runs inside workerd: digests the same bytes many times through workerd's
// MD5 (crypto.subtle) or core's portable MD5, as edgeCrypto would choose them.
import { edgeCrypto, utf8, type DigestSubtle } from '../src/index.js'

const refuseMd5 = () => Promise.reject(new DOMException('Unrecognized algorithm name', 'NotSupportedError'))
const isMd5 = (algorithm: unknown) => String((algorithm as { name?: string })?.name ?? algorithm).toUpperCase() === 'MD5'

// crypto.subtle as standard WebCrypto has it: no MD5, so edgeCrypto falls back.
const standardSubtle: DigestSubtle = {
  digest: (algorithm, data) => (isMd5(algorithm) ? refuseMd5() : crypto.subtle.digest(algorithm, data)),
  importKey: ((...args: Parameters<SubtleCrypto['importKey']>) =>
    isMd5((args[2] as { hash?: unknown }).hash) ? refuseMd5() : crypto.subtle.importKey(...args)) as DigestSubtle['importKey'],
  sign: (algorithm, key, data) => crypto.subtle.sign(algorithm, key, data),
}

const paths = { native: edgeCrypto(), portable: edgeCrypto(standardSubtle) }
const key = utf8('bench-secret-0123456789')

export default {
  async fetch(request: Request): Promise<Response> {
    const query = new URL(request.url).searchParams
    const crypto = paths[query.get('path') as keyof typeof paths]
    const digest = query.get('digest')
    const iterations = Math.min(Number(query.get('n')), 1_000_000)
    const data = new Uint8Array(Number(query.get('bytes'))).fill(0x6b)
    let last: unknown
    for (let i = 0; i < iterations; i++) {
      data[0] = i & 0xff
      last = digest === 'md5' ? await crypto.md5Hex(data) : await crypto.hmacMd5Hex(key, data)
    }
    return new Response(String(last))
  },
}
