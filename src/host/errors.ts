// How the VS Code layer phrases failures: provider errors already name the provider and what to do.
import { isProviderError } from '../core/errors';

export function describeError(err: unknown): string {
  if (isProviderError(err)) return err.message;
  if (err instanceof Error) return `Unexpected error: ${err.message}. See AppDesk logs for details.`;
  return `Unexpected error: ${String(err)}`;
}

export function isAuthFailure(err: unknown): boolean {
  return isProviderError(err) && err.kind === 'auth';
}
