/** A mistake in how the CLI was called (missing or malformed argument): exit code 2, with usage help. */
export class UsageError extends Error {}
