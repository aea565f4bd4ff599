// One error class for user mistakes (bad scenario, bad file, impossible
// design). The CLI prints its message without a stack and exits non-zero;
// any other error is a bug and keeps its stack.
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: 'ESCENARIO' | 'EPARAM' | 'EFILE' | 'EDESIGN' | 'EARG' | 'EWORKER' = 'EPARAM',
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A run stopped by a signal: exit 128 + the signal's number (130 SIGINT, 143 SIGTERM), as shells expect. */
export class Interrupted extends UserError {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message, 'EWORKER');
  }
}
