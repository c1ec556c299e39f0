# Switching from psoxy: a root module whose `module "psoxy"` called psoxy's gcp-host points its
# `source` here; these blocks carry psoxy's state (salt and key with their versions, Zoom secrets,
# service account, custom role) to this module's addresses, so no secret is replaced.
#
# Zoom's psoxy addresses move to this module's previous single-connector addresses, which then
# move to the for_each keys (end of file): a chain, because a destination may have only one `moved`
# source and both psoxy's and the previous release's state must land on ["zoom"]. Every other
# connector's moves are generated into moved-connectors.tf.

moved {
  from = module.psoxy.random_password.pseudonym_salt
  to   = random_password.pseudonym_salt
}

moved {
  from = module.psoxy.random_password.pseudonym_encryption_key
  to   = random_password.pseudonym_encryption_key
}

moved {
  from = module.psoxy.google_secret_manager_secret.pseudonym_salt
  to   = google_secret_manager_secret.pseudonym_salt
}

moved {
  from = module.psoxy.google_secret_manager_secret_version.initial_version
  to   = google_secret_manager_secret_version.initial_version
}

moved {
  from = module.psoxy.google_secret_manager_secret.pseudonymization_key
  to   = google_secret_manager_secret.pseudonymization_key
}

moved {
  from = module.psoxy.google_secret_manager_secret_version.pseudonym_encryption_key_initial_version
  to   = google_secret_manager_secret_version.pseudonym_encryption_key_initial_version
}

moved {
  from = module.secrets["zoom"].google_secret_manager_secret.secret
  to   = google_secret_manager_secret.zoom
}

moved {
  from = google_service_account.api_connectors["zoom"]
  to   = google_service_account.api_connector
}

moved {
  from = module.psoxy.google_project_iam_custom_role.psoxy_instance_secret_role
  to   = google_project_iam_custom_role.psoxy_instance_secret_role
}

moved {
  from = module.api_connector["zoom"].google_cloudfunctions2_function.function
  to   = google_cloudfunctions2_function.function
}

moved {
  from = module.api_connector["zoom"].google_cloud_run_service_iam_binding.invokers
  to   = google_cloud_run_service_iam_binding.invokers
}

# psoxy's artifacts bucket holds the remote resources (rules.yaml): kept, under its name.
moved {
  from = module.psoxy.google_storage_bucket.artifacts[0]
  to   = google_storage_bucket.artifacts
}

moved {
  from = module.api_connector["zoom"].google_storage_bucket_iam_member.grant_sa_reader_on_remote_resource_bucket[0]
  to   = google_storage_bucket_iam_member.remote_resource_read["zoom"]
}

# Zoom AI Metrics bulk (psoxy's gcp-proxy-bulk under module.bulk_connector["zoom-ai-metrics"]): the
# buckets keep their names and contents.
moved {
  from = module.psoxy.google_project_iam_custom_role.bucket_write
  to   = google_project_iam_custom_role.bucket_write
}

moved {
  from = module.psoxy.google_project_iam_member.grant_gcs-sa_pub-sub-publisher[0]
  to   = google_project_iam_member.gcs_pubsub_publisher[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].random_string.bucket_id_part
  to   = random_string.bulk_bucket_id[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].google_storage_bucket.input_bucket
  to   = google_storage_bucket.bulk_input[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].module.output_bucket.google_storage_bucket.bucket
  to   = google_storage_bucket.bulk_sanitized[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].google_service_account.service_account
  to   = google_service_account.bulk[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].google_storage_bucket_iam_member.access_for_import_bucket
  to   = google_storage_bucket_iam_member.bulk_input_read[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].module.output_bucket.google_storage_bucket_iam_member.write_to_output_bucket
  to   = google_storage_bucket_iam_member.bulk_output_write[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].google_storage_bucket_iam_member.grant_sa_read_on_processed_bucket
  to   = google_storage_bucket_iam_member.bulk_sanitized_readers
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].google_secret_manager_secret_iam_member.grant_sa_accessor_on_secret
  to   = google_secret_manager_secret_iam_member.bulk_accessor
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].google_project_iam_member.grant_sa_event_receiver
  to   = google_project_iam_member.bulk_event_receiver[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].google_cloud_run_service_iam_member.grant_sa_invoker
  to   = google_cloud_run_service_iam_member.bulk_invoker[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].google_cloudfunctions2_function.function
  to   = google_cloudfunctions2_function.bulk[0]
}

# This module's previous single-connector (Zoom) addresses → the for_each keys.
moved {
  from = google_secret_manager_secret.zoom["CLIENT_SECRET"]
  to   = google_secret_manager_secret.connector["zoom_CLIENT_SECRET"]
}

moved {
  from = google_secret_manager_secret.zoom["CLIENT_ID"]
  to   = google_secret_manager_secret.connector["zoom_CLIENT_ID"]
}

moved {
  from = google_secret_manager_secret.zoom["ACCOUNT_ID"]
  to   = google_secret_manager_secret.connector["zoom_ACCOUNT_ID"]
}

moved {
  from = google_secret_manager_secret.zoom["ACCESS_TOKEN"]
  to   = google_secret_manager_secret.connector["zoom_ACCESS_TOKEN"]
}

moved {
  from = google_secret_manager_secret.zoom["OAUTH_REFRESH_TOKEN"]
  to   = google_secret_manager_secret.connector["zoom_OAUTH_REFRESH_TOKEN"]
}

moved {
  from = google_secret_manager_secret_iam_member.writable["ACCESS_TOKEN"]
  to   = google_secret_manager_secret_iam_member.writable["zoom_ACCESS_TOKEN"]
}

moved {
  from = google_secret_manager_secret_iam_member.writable["OAUTH_REFRESH_TOKEN"]
  to   = google_secret_manager_secret_iam_member.writable["zoom_OAUTH_REFRESH_TOKEN"]
}

moved {
  from = google_secret_manager_secret_iam_member.accessor["CLIENT_SECRET"]
  to   = google_secret_manager_secret_iam_member.accessor["zoom_CLIENT_SECRET"]
}

moved {
  from = google_secret_manager_secret_iam_member.accessor["CLIENT_ID"]
  to   = google_secret_manager_secret_iam_member.accessor["zoom_CLIENT_ID"]
}

moved {
  from = google_secret_manager_secret_iam_member.accessor["ACCOUNT_ID"]
  to   = google_secret_manager_secret_iam_member.accessor["zoom_ACCOUNT_ID"]
}

moved {
  from = google_secret_manager_secret_iam_member.accessor["PSOXY_SALT"]
  to   = google_secret_manager_secret_iam_member.accessor["zoom_PSOXY_SALT"]
}

moved {
  from = google_secret_manager_secret_iam_member.accessor["PSOXY_ENCRYPTION_KEY"]
  to   = google_secret_manager_secret_iam_member.accessor["zoom_PSOXY_ENCRYPTION_KEY"]
}

moved {
  from = google_service_account.api_connector
  to   = google_service_account.api_connector["zoom"]
}

moved {
  from = google_cloudfunctions2_function.function
  to   = google_cloudfunctions2_function.function["zoom"]
}

moved {
  from = google_cloud_run_service_iam_binding.invokers
  to   = google_cloud_run_service_iam_binding.invokers["zoom"]
}

# This module's previous Zoom AI Metrics addresses (count) → the bulk for_each keys.

moved {
  from = random_string.bulk_bucket_id[0]
  to   = random_string.bulk_bucket_id["zoom-ai-metrics"]
}

moved {
  from = google_storage_bucket.bulk_input[0]
  to   = google_storage_bucket.bulk_input["zoom-ai-metrics"]
}

moved {
  from = google_storage_bucket.bulk_sanitized[0]
  to   = google_storage_bucket.bulk_sanitized["zoom-ai-metrics"]
}

moved {
  from = google_service_account.bulk[0]
  to   = google_service_account.bulk["zoom-ai-metrics"]
}

moved {
  from = google_storage_bucket_iam_member.bulk_input_read[0]
  to   = google_storage_bucket_iam_member.bulk_input_read["zoom-ai-metrics"]
}

moved {
  from = google_storage_bucket_iam_member.bulk_output_write[0]
  to   = google_storage_bucket_iam_member.bulk_output_write["zoom-ai-metrics"]
}

moved {
  from = google_project_iam_member.bulk_event_receiver[0]
  to   = google_project_iam_member.bulk_event_receiver["zoom-ai-metrics"]
}

moved {
  from = google_cloud_run_service_iam_member.bulk_invoker[0]
  to   = google_cloud_run_service_iam_member.bulk_invoker["zoom-ai-metrics"]
}

moved {
  from = google_cloudfunctions2_function.bulk[0]
  to   = google_cloudfunctions2_function.bulk["zoom-ai-metrics"]
}

moved {
  from = google_storage_bucket_iam_member.bulk_sanitized_readers[0]
  to   = google_storage_bucket_iam_member.bulk_sanitized_readers["zoom-ai-metrics_0"]
}

moved {
  from = google_storage_bucket_iam_member.bulk_sanitized_readers[1]
  to   = google_storage_bucket_iam_member.bulk_sanitized_readers["zoom-ai-metrics_1"]
}

moved {
  from = google_storage_bucket_iam_member.bulk_sanitized_readers[2]
  to   = google_storage_bucket_iam_member.bulk_sanitized_readers["zoom-ai-metrics_2"]
}

moved {
  from = google_storage_bucket_iam_member.bulk_sanitized_readers[3]
  to   = google_storage_bucket_iam_member.bulk_sanitized_readers["zoom-ai-metrics_3"]
}

moved {
  from = google_storage_bucket_iam_member.bulk_sanitized_readers[4]
  to   = google_storage_bucket_iam_member.bulk_sanitized_readers["zoom-ai-metrics_4"]
}

moved {
  from = google_secret_manager_secret_iam_member.bulk_accessor["PSOXY_SALT"]
  to   = google_secret_manager_secret_iam_member.bulk_accessor["zoom-ai-metrics_PSOXY_SALT"]
}

moved {
  from = google_secret_manager_secret_iam_member.bulk_accessor["PSOXY_ENCRYPTION_KEY"]
  to   = google_secret_manager_secret_iam_member.bulk_accessor["zoom-ai-metrics_PSOXY_ENCRYPTION_KEY"]
}
