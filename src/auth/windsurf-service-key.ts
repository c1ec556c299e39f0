/**
 * `windsurf_service_key`: Windsurf's API takes the admin's service key as `service_key` in the
 * JSON body of each (POST) request. As psoxy does: a request without a body gets
 * `{"service_key": …}`, a JSON object body gets the key added (replacing any the caller sent).
 * What cannot carry it is refused, saying what to send; no message ever holds the key.
 */
import type { StrategyDefinition } from './strategies.ts';
import { UnauthenticableRequestError, type BodyCall, type SourceAuth } from './source-auth.ts';
import { isJsonObject, parseJson, setOwn } from '../json/json.ts';
import { writeJson } from '../json/write.ts';

export const windsurfServiceKey: StrategyDefinition = {
  required: async () => ['SERVICE_KEY'],
  create: async (config) => serviceKeyInBody((await config.require('SERVICE_KEY')).trim()),
};

export function serviceKeyInBody(key: string): SourceAuth {
  return {
    headers: async () => ({}),
    afterUnauthorized: async () => null,
    body: (call) => withServiceKey(call, key),
  };
}

function withServiceKey(call: BodyCall, key: string): string {
  if (call.method === 'GET' || call.method === 'HEAD') {
    throw new UnauthenticableRequestError(`windsurf_service_key sends SERVICE_KEY in a JSON request body, which a ${call.method} cannot carry: call this endpoint with POST`);
  }
  if (call.body === undefined) return writeJson({ service_key: key });
  const notObject = () => new UnauthenticableRequestError('windsurf_service_key adds SERVICE_KEY to a JSON object request body: send Content-Type: application/json and a body {…}');
  // As the proxy reads bodies: no Content-Type means JSON.
  if (call.contentType !== undefined && !call.contentType.toLowerCase().includes('json')) throw notObject();
  let parsed;
  try {
    parsed = parseJson(call.body);
  } catch {
    throw notObject();
  }
  if (!isJsonObject(parsed)) throw notObject();
  setOwn(parsed, 'service_key', key);
  return writeJson(parsed);
}
