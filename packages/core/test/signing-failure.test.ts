import { describe, expect, it } from 'vitest'
import { createTopClient, signCanonical, TopError, TopValidationError, type Platform, type SigningCrypto } from '../src/index.js'

const SECRET = 'failure-secret-9d1e'

// A runtime's crypto that fails the way WebCrypto does (Deno refusing an HMAC-MD5 key, say).
function failingCrypto(error: unknown): SigningCrypto {
  return {
    md5Hex: () => {
      throw error
    },
    hmacMd5Hex: () => Promise.reject(error),
    hmacSha256Hex: () => Promise.reject(error),
  }
}

describe('a crypto failure', () => {
  const domError = new DOMException("HMAC key is missing 'hash'", 'OperationError')

  for (const method of ['md5', 'hmac', 'hmac-sha256'] as const) {
    it(`surfaces as a TopError naming sign method ${method}, thrown or rejected`, async () => {
      const failure = await signCanonical('canonical', SECRET, method, failingCrypto(domError)).catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(TopError)
      expect((failure as TopError).message).toBe(
        `Signing with sign method ${method} failed on this runtime: OperationError: HMAC key is missing 'hash'`,
      )
      expect((failure as TopError).cause).toBe(domError)
      expect((failure as TopError).message).not.toContain(SECRET)
    })
  }

  it('keeps a TopError the crypto raised as it is, and wraps a thrown non-Error', async () => {
    const own = new TopValidationError('bad')
    await expect(signCanonical('c', SECRET, 'hmac', failingCrypto(own))).rejects.toBe(own)
    await expect(signCanonical('c', SECRET, 'hmac', failingCrypto('plain string'))).rejects.toThrow(
      /^Signing with sign method hmac failed on this runtime: plain string$/,
    )
  })

  it('ends a call with that TopError, nothing sent', async () => {
    let sent = 0
    const platform: Platform = {
      crypto: failingCrypto(domError),
      send: async () => {
        sent++
        return { status: 200, text: '{}' }
      },
    }
    for (const signMethod of ['md5', 'hmac', 'hmac-sha256'] as const) {
      const client = createTopClient(platform, { appKey: '12345678', appSecret: SECRET, signMethod, endpoint: 'http://127.0.0.1:9/router/rest' })
      await expect(client.call('taobao.tbk.item.info.get', { num_iids: '1' })).rejects.toThrow(TopError)
      await expect(client.prepareRequest('taobao.tbk.item.info.get', { num_iids: '1' })).rejects.toThrow(/Signing with sign method/)
    }
    expect(sent).toBe(0)
  })
})
