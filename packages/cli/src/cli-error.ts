/**
 * A failure tbk words for its user itself: a message, a next step and the
 * exit code (see exit-codes.ts). Library errors are translated by failure.ts.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** A next step for the user, shown after the message. */
    readonly hint?: string,
  ) {
    super(message)
    this.name = 'CliError'
  }
}
