import { fileURLToPath } from 'node:url'

/** Absolute paths the benchmarks use, resolved from this file so any cwd works. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url))
export const fromRoot = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url))
