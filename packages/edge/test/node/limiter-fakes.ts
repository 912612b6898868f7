import { TbkLimiter, type LimiterNamespace, type LimiterState, type TbkLimiterEnv } from '../../src/index.js'

/** A Durable Object's storage in memory, with failures on demand. */
export class FakeState implements LimiterState {
  readonly values = new Map<string, unknown>()
  alarm: number | undefined
  failWrites = false
  failReads = false
  failDeletes = false
  readonly storage = {
    get: async <T>(key: string): Promise<T | undefined> => {
      if (this.failReads) throw new Error('storage read failed')
      return this.values.get(key) as T | undefined
    },
    put: async <T>(key: string, value: T): Promise<void> => {
      if (this.failWrites) throw new Error('storage write failed')
      this.values.set(key, value)
    },
    delete: async (key: string): Promise<boolean> => {
      if (this.failDeletes) throw new Error('storage delete failed')
      return this.values.delete(key)
    },
    setAlarm: async (at: number): Promise<void> => {
      if (this.failWrites) throw new Error('storage write failed')
      this.alarm = at
    },
  }
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T> {
    return callback()
  }
}

export const ORIGIN = 'https://tbk-limiter.internal'

/** POST a raw body to the object, as any code holding the binding could. */
export async function post(object: TbkLimiter, path: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await object.fetch(new Request(`${ORIGIN}${path}`, { method: 'POST', body }))
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/**
 * A namespace whose objects are `TbkLimiter`s in this process (one per name),
 * counting requests; `down` makes every request fail as an unreachable
 * object does.
 */
export function fakeNamespace(env: TbkLimiterEnv) {
  const objects = new Map<string, TbkLimiter>()
  const counts = { requests: 0, acquires: 0, bans: 0 }
  const control = { down: false, answer: undefined as undefined | (() => Response) }
  const namespace: LimiterNamespace = {
    idFromName: (name) => name,
    get: (id) => ({
      async fetch(input, init) {
        counts.requests++
        if (input.endsWith('/acquire')) counts.acquires++
        if (input.endsWith('/ban')) counts.bans++
        if (control.down) throw new Error('Durable Object is overloaded')
        if (control.answer) return control.answer()
        let object = objects.get(id as unknown as string)
        if (!object) objects.set(id as unknown as string, (object = new TbkLimiter(new FakeState(), env)))
        return object.fetch(new Request(input, init))
      },
    }),
  }
  return { namespace, counts, control, objects }
}
