/** A failure an invocation reports: the contract's error name and a message for the caller. */
export interface Problem {
  readonly error: string
  readonly message: string
}
