/**
 * The GCP Cloud Functions (gen2) entry point: registers the API proxy as the HTTP function
 * `psoxy` and bulk mode as the CloudEvent function `psoxyBulk` with the functions framework.
 */
import { registerDefault as registerBulk } from './bulk-function.ts';
import { registerApiFunction } from './api-function.ts';

registerApiFunction('psoxy');
registerBulk();
// For the cold-start bench, which registers the proxy with a client pointed at its Secret Manager fake.
export { registerApiFunction };
export { SecretManagerRest } from './secret-manager-rest.ts';
