/**
 * The raw source text of each top-level member of a JSON object. Object
 * params are sent as JSON text; re-serialising the parsed value would turn
 * 64-bit numbers (kept as strings by the lossless parser) into quoted
 * strings, so the user's own text is sent instead. The input must already
 * have parsed as an object.
 */
export function memberTexts(json: string): Map<string, string> {
  const members = new Map<string, string>()
  let i = skipSpace(json, 0)
  if (json[i] !== '{') return members
  i = skipSpace(json, i + 1)
  while (i < json.length && json[i] !== '}') {
    const keyEnd = skipString(json, i)
    const key = JSON.parse(json.slice(i, keyEnd)) as string
    i = skipSpace(json, keyEnd)
    i = skipSpace(json, i + 1) // the colon
    const valueEnd = skipValue(json, i)
    members.set(key, json.slice(i, valueEnd))
    i = skipSpace(json, valueEnd)
    if (json[i] === ',') i = skipSpace(json, i + 1)
  }
  return members
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++
  return i
}

/** `i` is at an opening quote; returns the index after the closing one. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++
    else if (text[j] === '"') return j + 1
  }
  return text.length
}

function skipValue(text: string, i: number): number {
  const first = text[i]
  if (first === '"') return skipString(text, i)
  if (first === '{' || first === '[') {
    let depth = 0
    for (let j = i; j < text.length; j++) {
      const c = text[j]
      if (c === '"') j = skipString(text, j) - 1
      else if (c === '{' || c === '[') depth++
      else if (c === '}' || c === ']') {
        depth--
        if (depth === 0) return j + 1
      }
    }
    return text.length
  }
  let j = i
  while (j < text.length && !',}] \n\r\t'.includes(text[j]!)) j++
  return j
}
