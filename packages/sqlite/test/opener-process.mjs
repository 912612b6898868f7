// One opener for processes.test.ts: for each file in turn, waits for that
// file's start instant (so every opener reaches the new file's switch to WAL
// together), then opens, migrates and closes a store on it.
import { setTimeout as sleep } from 'node:timers/promises'
import { sqliteLedgerStore } from '../dist/index.js'

const [dir, filesText, startAtText, stepText] = process.argv.slice(2)
const [files, startAt, step] = [Number(filesText), Number(startAtText), Number(stepText)]
for (let f = 0; f < files; f++) {
  // A timer, not a spin: the openers wake at once instead of taking turns on the CPUs.
  await sleep(Math.min(Math.max(0, startAt + f * step - Date.now()), 10_000))
  const store = sqliteLedgerStore(`${dir}/ledger-${f}.db`)
  await store.migrate()
  await store.close()
}
process.stdout.write('opened')
