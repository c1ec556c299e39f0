/**
 * Built-in bulk rules for Zoom's AI Metrics Snapshot CSV (`zoom-ai-metrics`): pseudonymize
 * `User Name` and `Email`, redact `Department`, as psoxy's Zoom docs describe. Pseudonyms are
 * `t~` tokens (the format psoxy's Terraform applies to custom bulk rules), so an email hashes to
 * the same token here as in the Zoom API connector's responses.
 */
export const ZOOM_AI_METRICS_RULES_YAML = `
pseudonymFormat: URL_SAFE_TOKEN
columnsToPseudonymize: ["User Name", "Email"]
columnsToRedact: ["Department"]
`;
