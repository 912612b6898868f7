// How every example gets a client: your own app when TBK_APP_KEY and
// TBK_APP_SECRET are set (and TBK_SESSION for APIs that need the user's
// 授权), else the local emulator in demo mode, started in-process, so each
// example runs offline with one command and nothing to set up.
import { DEMO_APP, startEmulator } from '@tbkit/emulator'
import { createClient } from '@tbkit/node'

/** Your 推广位 (adzone) id: TBK_ADZONE_ID, or the last part of TBK_PID (mm_xxx_yyy_zzz); any number works offline. */
export function adzoneId() {
  const fromPid = /^mm_\d+_\d+_(\d+)$/.exec(process.env.TBK_PID ?? '')?.[1]
  return process.env.TBK_ADZONE_ID || fromPid || '123456789'
}

/** A client and a `close()` that also stops the emulator when one was started. */
export async function connect() {
  const { TBK_APP_KEY, TBK_APP_SECRET, TBK_SESSION, TBK_ENDPOINT } = process.env
  if (TBK_APP_KEY && TBK_APP_SECRET) {
    const client = createClient({
      appKey: TBK_APP_KEY,
      appSecret: TBK_APP_SECRET,
      ...(TBK_SESSION ? { session: TBK_SESSION } : {}),
      ...(TBK_ENDPOINT ? { endpoint: TBK_ENDPOINT } : {}),
    })
    return { client, offline: false, close: () => client.close() }
  }
  const emulator = await startEmulator({ demo: true })
  process.stderr.write(`(offline: no TBK_APP_KEY/TBK_APP_SECRET, so this runs against the local emulator at ${emulator.url})\n`)
  const client = createClient({ appKey: DEMO_APP.appKey, appSecret: DEMO_APP.appSecret, endpoint: emulator.url })
  return {
    client,
    offline: true,
    async close() {
      await client.close()
      await emulator.close()
    },
  }
}
