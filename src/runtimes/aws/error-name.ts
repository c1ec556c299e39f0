/** The SDK v3 error's name (`ParameterNotFound`, `ThrottlingException`, …), or '' for anything else. */
export const awsErrorName = (e: unknown): string => (e as { name?: string }).name ?? '';
