/**
 * A lookup table of ASCII characters (1 where `chars` has the character):
 * one array read per character in hot scanning loops. Called as
 * `/* @__PURE__ *\/ asciiSet(…)` at module level, so a bundle that never
 * scans drops the table and its setup.
 */
export function asciiSet(chars: string): Uint8Array {
  const table = new Uint8Array(128)
  for (const c of chars) table[c.charCodeAt(0)] = 1
  return table
}
