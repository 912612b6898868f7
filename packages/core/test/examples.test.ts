// For every catalog method with a documented JSON example: decoding the
// example (wrapped form) must give an object whose every key, at every depth,
// is a field of the generated result type. The field tree is read from
// src/generated/types.ts with the TypeScript compiler, not from the spec.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { decodeResponse } from '../src/index.js'

const PACKAGE = fileURLToPath(new URL('..', import.meta.url))
const TYPES = join(PACKAGE, 'src', 'generated', 'types.ts')

/** Field names a type allows, per level; `open` where any name is allowed (index signatures, unknown). */
interface FieldTree {
  readonly open: boolean
  readonly fields: Map<string, FieldTree>
}

function resultTrees(): Map<string, FieldTree> {
  const program = ts.createProgram([TYPES], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(TYPES)!
  const map = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'TopApiMap')!

  const treeOf = (input: ts.Type): FieldTree => {
    const type = checker.getNonNullableType(input)
    if (type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return { open: true, fields: new Map() }
    if (type.isUnion()) {
      const trees = type.types.map(treeOf)
      const fields = new Map<string, FieldTree>()
      for (const tree of trees) for (const [name, sub] of tree.fields) fields.set(name, sub)
      return { open: trees.some((t) => t.open), fields }
    }
    if (checker.isArrayType(type)) return treeOf(checker.getTypeArguments(type as ts.TypeReference)[0]!)
    if (!(type.flags & ts.TypeFlags.Object)) return { open: false, fields: new Map() }
    const fields = new Map<string, FieldTree>()
    for (const prop of type.getProperties()) fields.set(prop.name, treeOf(checker.getTypeOfSymbolAtLocation(prop, map)))
    return { open: checker.getIndexInfosOfType(type).length > 0, fields }
  }

  const trees = new Map<string, FieldTree>()
  for (const entry of checker.getTypeAtLocation(map).getProperties()) {
    const result = checker.getTypeOfSymbolAtLocation(entry, map).getProperty('result')!
    trees.set(entry.name, treeOf(checker.getTypeOfSymbolAtLocation(result, map)))
  }
  return trees
}

/** Paths of keys in `value` that the field tree does not allow. */
function strayKeys(value: unknown, tree: FieldTree, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => strayKeys(item, tree, `${path}[]`))
  if (value === null || typeof value !== 'object' || tree.open) return []
  return Object.entries(value).flatMap(([key, child]) => {
    const sub = tree.fields.get(key)
    return sub ? strayKeys(child, sub, `${path}.${key}`) : [`${path}.${key}`]
  })
}

const examples = readdirSync(join(PACKAGE, 'spec', 'apis'))
  .map((file) => JSON.parse(readFileSync(join(PACKAGE, 'spec', 'apis', file), 'utf8')) as { method: string; responseExample: unknown })
  .filter((api) => api.responseExample !== null)
  .map((api) => [api.method, api.responseExample] as const)

const trees = resultTrees()

describe('documented response examples decode to the generated result types', () => {
  it('covers every method with an example', () => {
    expect(examples.length).toBeGreaterThan(50)
    for (const [method] of examples) expect(trees.has(method), method).toBe(true)
  })

  it.each(examples)('%s', (method, example) => {
    const decoded = decodeResponse(method, 200, JSON.stringify(example))
    expect(Object.keys(decoded).length).toBeGreaterThan(0)
    expect(strayKeys(decoded, trees.get(method)!)).toEqual([])
  })

  it('reports a field the result type does not have, at any depth', () => {
    const example = {
      tbk_dg_material_optional_upgrade_response: {
        total_results: 1,
        result_list: { map_data: [{ item_id: 'x', item_basic_info: { title: 't', titel: 'typo' } }] },
      },
    }
    const decoded = decodeResponse('taobao.tbk.dg.material.optional.upgrade', 200, JSON.stringify(example))
    expect(strayKeys(decoded, trees.get('taobao.tbk.dg.material.optional.upgrade')!)).toEqual(['.result_list[].item_basic_info.titel'])
  })
})
