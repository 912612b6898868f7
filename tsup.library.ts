import { defineConfig, type Options } from 'tsup'

/**
 * The build every library package shares: its `src/index.ts` as ESM and
 * CommonJS with declarations for both, for any runtime since ES2022.
 * Packages that build differently (core's generated entries, edge's
 * workerd build, the CLI's chunks) keep a config of their own.
 */
export function libraryBuild(extra: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    ...extra,
  })
}
