import { setFlagsFromString } from 'node:v8'

/**
 * Keep V8's heap near what an export really holds (about 12 MB), for the rest
 * of this short-lived process.
 *
 * An export allocates fast (each page's body, its orders, its text) and keeps
 * almost nothing from one page to the next. V8 still doubles the young
 * generation whenever enough bytes have survived scavenges since it last grew,
 * so over a long export it climbs to its 16 MB-per-semi-space maximum (about
 * +32 MB of RSS holding only garbage), and it lets the old generation grow to
 * several times what is live before collecting it. Both made peak RSS grow
 * with the number of orders. With the young generation's growth factor at 1
 * it stays at its start size, and the old generation is collected once it has
 * grown by 10 %; collections come more often but each finds little alive (the
 * bench's memory section measured the same throughput). V8 reads both flags
 * each time it sizes the heap, so setting them at run time takes effect.
 */
export function keepHeapSteady(): void {
  setFlagsFromString('--semi-space-growth-factor=1')
  setFlagsFromString('--heap-growing-percent=10')
}
