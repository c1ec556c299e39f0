/**
 * An OIDC identity token of the service account the function runs as, from the GCP metadata
 * server (psoxy's GCP workload identity federation). The host is `metadata.google.internal` unless
 * `GCE_METADATA_HOST` names another, as Google's own libraries allow (emulators, tests).
 */
import { readAtMost } from '../../http/read-bounded.ts';
import { describeNetworkFailure, networkAdvice } from '../../http/network-error.ts';
import { TokenEndpointError } from '../../auth/source-auth.ts';

export const DEFAULT_METADATA_HOST = 'metadata.google.internal';

/** A Google-signed identity token is about 1 KB. */
const MAX_IDENTITY_TOKEN_BYTES = 16 * 1024;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface MetadataIdentityOptions {
  host: string;
  audience: string;
  fetch: typeof fetch;
  timeoutMs: number;
}

export async function metadataIdentityToken(o: MetadataIdentityOptions): Promise<string> {
  const url = `http://${o.host}/computeMetadata/v1/instance/service-accounts/default/identity?audience=${encodeURIComponent(o.audience)}`;
  const failed = (why: string) => new TokenEndpointError(0, `no identity token from the GCP metadata server: ${why}`);
  let res: Response;
  let text: string;
  try {
    res = await o.fetch(url, { headers: { 'Metadata-Flavor': 'Google' }, signal: AbortSignal.timeout(o.timeoutMs) });
    text = (await readAtMost(res.body, res.headers, MAX_IDENTITY_TOKEN_BYTES, () => failed('the answer is too large to be a token'))).toString('utf8').trim();
  } catch (e) {
    if (e instanceof TokenEndpointError) throw e;
    const f = describeNetworkFailure(e, url, 'identity token request');
    throw failed(`${f.text}; the proxy must run on GCP (Cloud Functions, Cloud Run) or ${networkAdvice(f, 'GCE_METADATA_HOST')}`);
  }
  // Google's clients trust an answer only with this header: anything else is not the metadata server.
  if (res.headers.get('metadata-flavor') !== 'Google') throw failed(`${o.host} is not a metadata server (no Metadata-Flavor: Google in its answer)`);
  if (!res.ok) throw failed(`HTTP ${res.status}; check AUDIENCE and that the function runs as a service account`);
  if (!JWT_SHAPE.test(text)) throw failed('the answer is not a JWT');
  return text;
}
