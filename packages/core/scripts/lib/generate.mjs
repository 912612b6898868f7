// Everything codegen produces, as path → text. Pure: reads spec/ and the
// README, writes nothing (codegen.mjs decides whether to write or check).
import { join } from 'node:path'
import { emitCatalog } from './emit-catalog.mjs'
import { emitTypes } from './emit-types.mjs'
import { loadCatalog } from './spec.mjs'

export function generate({ specDir, packageDir }) {
  const apis = loadCatalog(specDir)
  const generatedDir = join(packageDir, 'src', 'generated')
  return new Map([
    [join(generatedDir, 'catalog.ts'), emitCatalog(apis)],
    [join(generatedDir, 'types.ts'), emitTypes(apis)],
  ])
}
