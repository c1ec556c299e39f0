# Switching from psoxy: a root module whose `module "psoxy"` called psoxy's gcp-host points its
# `source` here; these blocks carry psoxy's state (salt and key with their versions, Zoom secrets,
# service account, custom role) to this module's addresses, so no secret is replaced.

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
