// A process that uses the Redis stores from a URL and closes them: it must then exit on its own,
// at once (nothing left on the event loop), not commandTimeoutMs later.
// Prints "closed" once both stores are closed; the parent times the exit from there.
import { redisCache, redisLimiter } from '@tbkit/redis'

const [url, commandTimeoutMs] = [process.argv[2], Number(process.argv[3])]
const limiter = redisLimiter({ redis: url, perSecond: 5, prefix: 'close-exit', commandTimeoutMs })
const cache = redisCache({ redis: url, prefix: 'close-exit', commandTimeoutMs })
await limiter.acquire({ appKey: 'app', method: 'm.a', nowMs: Date.now() })
await cache.set('k', 'v', 1000)
await cache.get('k')
await Promise.all([limiter.close(), cache.close()])
process.stdout.write('closed\n')
