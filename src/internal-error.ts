/** An exception no input should cause, with the file being linted when it was thrown (the CLI shows both). */
export class InternalError extends Error {
  constructor(
    readonly file: string,
    override readonly cause: unknown,
  ) {
    super(`internal error while linting ${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
