// The GCP Terraform module, parsed with @cdktf/hcl2json (no Terraform binary here) and checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from '@cdktf/hcl2json';

type Blocks = Record<string, Record<string, Record<string, unknown>[]>>;
const load = async (f: string) => (await parse(f, readFileSync(new URL(`../infra/gcp/${f}`, import.meta.url), 'utf8'))) as { resource?: Blocks; variable?: Record<string, unknown[]>; output?: Record<string, { value: string }[]> };

test('Terraform: function, secrets, least-privilege service account, invoker binding, outputs', async () => {
  const main = await load('main.tf');
  const r = main.resource!;
  const fn = r.google_cloudfunctions2_function.proxy[0] as { build_config: { entry_point: string }[]; service_config: { service_account_email: string; environment_variables: Record<string, string>; available_memory: string }[] };
  assert.equal(fn.build_config[0].entry_point, 'psoxy');
  const env = fn.service_config[0].environment_variables;
  assert.equal(env.SOURCE, 'zoom');
  assert.equal(env.GRANT_TYPE, 'account_credentials');
  assert.match(fn.service_config[0].service_account_email, /google_service_account\.proxy\.email/);
  assert.ok(r.google_secret_manager_secret.zoom, 'Zoom secrets created');
  assert.equal(r.google_secret_manager_secret_version.salt.length, 1, 'salt generated into a version');
  assert.equal(r.google_secret_manager_secret_version.encryption_key.length, 1);
  assert.equal(Object.keys(r.google_secret_manager_secret_version).length, 2, 'no versions for the Zoom secrets: the administrator fills them');
  // Least privilege: per-secret bindings only, no project-wide Secret Manager roles.
  assert.equal(r.google_project_iam_member, undefined);
  const read = r.google_secret_manager_secret_iam_member.read[0] as { role: string };
  assert.equal(read.role, 'roles/secretmanager.secretAccessor');
  const lockRole = r.google_project_iam_custom_role.lock[0] as { permissions: string[] };
  assert.deepEqual(lockRole.permissions, ['secretmanager.secrets.get', 'secretmanager.secrets.update']);
  const invoker = r.google_cloud_run_service_iam_member.invoker[0] as { role: string };
  assert.equal(invoker.role, 'roles/run.invoker');
  const outputs = await load('outputs.tf');
  assert.deepEqual(Object.keys(outputs.output!).sort(), ['fill_zoom_secrets', 'proxy_url', 'test_call']);
  assert.match(outputs.output!.test_call[0].value, /npm run -s psoxy -- call .* --sign gcp/);
  assert.match(outputs.output!.fill_zoom_secrets[0].value, /gcloud secrets versions add/);
  const vars = await load('variables.tf');
  assert.ok(vars.variable!.invoker_service_accounts, 'caller service accounts are an input');
});
