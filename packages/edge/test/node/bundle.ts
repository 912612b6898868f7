import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))
export const EXAMPLE_WORKER = fileURLToPath(new URL('../../../../examples/worker/src/index.ts', import.meta.url))
export const fixture = (name: string) => `${FIXTURES}${name}`

/** wrangler's export conditions: workerd first. */
export const WRANGLER_CONDITIONS = ['workerd', 'worker', 'browser']

export interface WorkerBundle {
  readonly code: string
  readonly bytes: Uint8Array
  /** Every input file that made it into the bundle, relative to the repository root. */
  readonly inputs: readonly string[]
}

/**
 * Bundle a Worker the way wrangler does (ESM, the workerd/worker/browser
 * export conditions, names kept, no Node built-ins), resolving `@tbkit/edge` through the
 * workspace to its built dist. `entry` is a file, or source text (resolved from the fixtures).
 */
export async function bundleWorker(
  entry: string | { readonly contents: string },
  options: { minify: boolean; conditions?: readonly string[] },
): Promise<WorkerBundle> {
  const result = await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.contents, resolveDir: FIXTURES, loader: 'ts' } }),
    absWorkingDir: REPO_ROOT,
    bundle: true,
    write: false,
    metafile: true,
    minify: options.minify,
    // wrangler keeps function and class names; so do we, to measure what it deploys.
    keepNames: true,
    format: 'esm',
    target: 'es2022',
    platform: 'neutral',
    conditions: [...(options.conditions ?? WRANGLER_CONDITIONS)],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'silent',
  })
  const output = result.outputFiles[0]!
  return { code: output.text, bytes: output.contents, inputs: Object.keys(result.metafile.inputs) }
}
