/** The SDK v3 error's name (`ParameterNotFound`, `ThrottlingException`, …), or '' for anything else. */
export const awsErrorName = (e: unknown): string => (e as { name?: string }).name ?? '';

/**
 * Why an AWS call failed, in the words an operator needs: denied, not found, throttled, or
 * unreachable (with the network error code), never the request or a value.
 */
export function awsFailureCause(e: unknown): string {
  const name = awsErrorName(e);
  const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  if (name === 'AccessDeniedException' || name === 'AccessDenied') return 'denied (AccessDeniedException)';
  if (name === 'ParameterNotFound' || name === 'ResourceNotFoundException') return `not found (${name})`;
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(name)) return `throttled (${name})`;
  if (code && /^E[A-Z]+$/.test(code)) return `unreachable (${code})`;
  if (name === 'TimeoutError') return 'unreachable (timed out)';
  return `failed (${name || 'unknown error'})`;
}
