/** The command line itself is wrong (exit 2): nothing was sent. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** A next step for the user, shown after the message. */
    readonly hint?: string,
  ) {
    super(message)
    this.name = 'UsageError'
  }
}
