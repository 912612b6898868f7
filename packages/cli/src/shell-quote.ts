const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/

/** Quote a word for POSIX shells only when it needs it. */
export function shellQuote(word: string): string {
  return word !== '' && SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
