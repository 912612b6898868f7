/** `tbk`'s exit codes: documented in `tbk --help` and the README; scripts rely on them. */
export const EXIT = {
  ok: 0,
  /** Anything unexpected (a bug, a file system failure…). */
  unexpected: 1,
  /** Unknown command or flag, malformed `key=value`, unreadable params file. */
  usage: 2,
  /** Bad input caught before sending: unknown method, missing or wrong param, missing credentials, unsafe config; a sign that does not match. */
  validation: 3,
  /** The gateway answered with an error. */
  api: 4,
  /** No usable answer: network failure, timeout, HTTP error, undecodable body. */
  network: 5,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const

export const EXIT_CODE_TABLE = `Exit codes:
  0    success
  1    unexpected error
  2    usage error: unknown command or flag, malformed key=value, unreadable params file
  3    validation error: unknown method, missing or wrong param, missing credentials, unsafe config file,
       a given sign that does not match (tbk sign)
  4    API error: the gateway answered with an error (code and sub_code are shown)
  5    network error: connection failure, timeout, HTTP error, undecodable answer
  130  interrupted`
