export { useEmulator } from './use-emulator.js'
export { startRedis, freePort, type RedisServer } from './redis-server.js'
export { startPostgres, type PostgresServer } from './postgres-server.js'
export { startPrometheus, type PrometheusServer } from './prometheus-server.js'
