# The Zoom proxy on GCP, laid out as psoxy's gcp-host module lays it out: the same Secret Manager
# ids, service account, custom role and function names, so the runtime reads what an existing
# psoxy deployment already holds. `moved.tf` maps psoxy's resource addresses onto these.

locals {
  env_prefix    = var.environment_name == "" ? "" : "${var.environment_name}-"
  secret_prefix = var.config_parameter_prefix != "" ? var.config_parameter_prefix : (var.environment_name == "" ? "psoxy_" : "${var.environment_name}_")
  zoom_prefix   = "${local.secret_prefix}ZOOM_"
  function_name = "${local.env_prefix}zoom"
  role_prefix   = replace(local.env_prefix, "-", "_")
  # Written by the proxy (the shared token and its lock) vs filled by the administrator.
  zoom_writable = toset(["ACCESS_TOKEN", "OAUTH_REFRESH_TOKEN"])
  zoom_filled   = toset(["CLIENT_SECRET", "CLIENT_ID", "ACCOUNT_ID"])

  # psoxy's remote resources: object names in a '/' hierarchy under the secret prefix, one folder
  # per connector (psoxy/ZOOM/rules.yaml by default), in the artifacts bucket.
  shared_resource_path = "${trimsuffix(trimprefix(local.secret_prefix, "/"), "_")}/"
  resource_paths = !var.enable_remote_resources ? {} : merge(
    { zoom = "${local.shared_resource_path}ZOOM/" },
    local.bulk_enabled ? { (local.bulk_id) = "${local.shared_resource_path}ZOOM_AI_METRICS/" } : {},
  )
  remote_resource_env = { for k, path in local.resource_paths : k => { REMOTE_RESOURCE_BUCKET = google_storage_bucket.artifacts.name, INSTANCE_RESOURCE_PATH = path } }
  resource_readers    = merge({ zoom = google_service_account.api_connector.email }, local.bulk_enabled ? { (local.bulk_id) = google_service_account.bulk[0].email } : {})

  # Settings every function of this deployment takes alike.
  common_env = {
    EMAIL_CANONICALIZATION = var.email_canonicalization
    IS_DEVELOPMENT_MODE    = "false"
    PATH_TO_SHARED_CONFIG  = local.secret_prefix
    GOOGLE_CLOUD_PROJECT   = var.gcp_project_id
  }
}

# Salt and key: generated once; they define every pseudonym. An existing psoxy deployment's are
# moved into state (moved.tf); their versions ignore later changes.
resource "random_password" "pseudonym_salt" {
  length = 20
}

resource "random_password" "pseudonym_encryption_key" {
  length = 32
}

resource "google_secret_manager_secret" "pseudonym_salt" {
  project   = var.gcp_project_id
  secret_id = "${local.secret_prefix}PSOXY_SALT"
  replication {
    auto {}
  }
  lifecycle {
    ignore_changes = [replication, labels]
  }
}

resource "google_secret_manager_secret_version" "initial_version" {
  secret      = google_secret_manager_secret.pseudonym_salt.id
  secret_data = random_password.pseudonym_salt.result
  lifecycle {
    ignore_changes = [secret_data]
  }
}

resource "google_secret_manager_secret" "pseudonymization_key" {
  project   = var.gcp_project_id
  secret_id = "${local.secret_prefix}PSOXY_ENCRYPTION_KEY"
  replication {
    auto {}
  }
  lifecycle {
    ignore_changes = [replication, labels]
  }
}

resource "google_secret_manager_secret_version" "pseudonym_encryption_key_initial_version" {
  secret      = google_secret_manager_secret.pseudonymization_key.id
  secret_data = random_password.pseudonym_encryption_key.result
  lifecycle {
    ignore_changes = [secret_data]
  }
}

# Zoom's values: created without a version; the administrator adds one (see the todos output).
resource "google_secret_manager_secret" "zoom" {
  for_each  = setunion(local.zoom_filled, local.zoom_writable)
  project   = var.gcp_project_id
  secret_id = "${local.zoom_prefix}${each.key}"
  replication {
    auto {}
  }
  lifecycle {
    ignore_changes = [replication, labels]
  }
}

resource "google_service_account" "api_connector" {
  project      = var.gcp_project_id
  account_id   = "${local.env_prefix}fn-zoom"
  display_name = "psoxy ${local.function_name}"
}

# What the proxy needs on the secrets it writes: new versions, history, and the lock label.
resource "google_project_iam_custom_role" "psoxy_instance_secret_role" {
  project = var.gcp_project_id
  role_id = "${local.role_prefix}secretVersionManager"
  title   = "psoxy secret version manager"
  permissions = [
    "resourcemanager.projects.get", "secretmanager.secrets.get", "secretmanager.secrets.getIamPolicy",
    "secretmanager.secrets.list", "secretmanager.secrets.update", "secretmanager.versions.access",
    "secretmanager.versions.add", "secretmanager.versions.destroy", "secretmanager.versions.disable",
    "secretmanager.versions.enable", "secretmanager.versions.get", "secretmanager.versions.list",
  ]
}

resource "google_secret_manager_secret_iam_member" "writable" {
  for_each  = local.zoom_writable
  project   = var.gcp_project_id
  secret_id = google_secret_manager_secret.zoom[each.key].id
  role      = google_project_iam_custom_role.psoxy_instance_secret_role.id
  member    = "serviceAccount:${google_service_account.api_connector.email}"
}

# Read-only: what the administrator fills, and the salt and key (versions.access alone suffices).
resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each = merge(
    { for k in local.zoom_filled : k => google_secret_manager_secret.zoom[k].id },
    { PSOXY_SALT = google_secret_manager_secret.pseudonym_salt.id, PSOXY_ENCRYPTION_KEY = google_secret_manager_secret.pseudonymization_key.id },
  )
  project   = var.gcp_project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.api_connector.email}"
}

# The function package and the remote resources, in psoxy's artifacts bucket (moved from psoxy's,
# so rules.yaml uploaded there stays where the functions read it).
resource "google_storage_bucket" "artifacts" {
  project                     = var.gcp_project_id
  name                        = coalesce(var.custom_artifacts_bucket_name, "${var.gcp_project_id}-${local.env_prefix}artifacts-bucket")
  location                    = var.gcp_region
  uniform_bucket_level_access = true
}

# Remote resources: objects under the connector's own folder only (psoxy's IAM condition).
resource "google_storage_bucket_iam_member" "remote_resource_read" {
  for_each = local.resource_paths
  bucket   = google_storage_bucket.artifacts.name
  role     = "roles/storage.objectViewer"
  member   = "serviceAccount:${local.resource_readers[each.key]}"
  condition {
    title      = "${each.key} remote resources"
    expression = "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.artifacts.name}/objects/${each.value}\")"
  }
}

resource "google_storage_bucket_object" "function" {
  bucket = google_storage_bucket.artifacts.name
  name   = "gcp-function-${filemd5(var.deployment_bundle)}.zip"
  source = var.deployment_bundle
}

resource "google_cloudfunctions2_function" "function" {
  project     = var.gcp_project_id
  location    = var.gcp_region
  name        = local.function_name
  description = "Psoxy Connector - zoom"

  build_config {
    runtime     = "nodejs22"
    entry_point = "psoxy"
    source {
      storage_source {
        bucket = google_storage_bucket.artifacts.name
        object = google_storage_bucket_object.function.name
      }
    }
  }

  service_config {
    available_memory      = "256M"
    timeout_seconds       = 60
    max_instance_count    = 20
    service_account_email = google_service_account.api_connector.email
    ingress_settings      = "ALLOW_ALL"
    environment_variables = merge(local.common_env, {
      SOURCE                          = "zoom"
      TARGET_HOST                     = "api.zoom.us"
      SOURCE_AUTH_STRATEGY_IDENTIFIER = "oauth2_refresh_token"
      GRANT_TYPE                      = "account_credentials"
      REFRESH_ENDPOINT                = "https://zoom.us/oauth/token"
      USE_SHARED_TOKEN                = "TRUE"
      OAUTH_SCOPES                    = ""
      REQUEST_TIMEOUT_SECONDS         = "55"
      PSEUDONYMIZE_APP_IDS            = tostring(var.pseudonymize_app_ids)
      PATH_TO_INSTANCE_CONFIG         = local.zoom_prefix
      }, length(var.allowed_data_access_ip_blocks) == 0 ? {} : { ALLOWED_DATA_ACCESS_IP_BLOCKS = join(",", var.allowed_data_access_ip_blocks) },
      # Custom rules, as psoxy passes them: base64 of the gzipped YAML (the runtime decodes either form).
      contains(keys(var.custom_api_connector_rules), "zoom") ? { RULES = base64gzip(file(var.custom_api_connector_rules["zoom"])) } : {},
      try(local.remote_resource_env["zoom"], {}),
    )
  }

  depends_on = [google_secret_manager_secret_iam_member.accessor, google_secret_manager_secret_iam_member.writable]
}

# Only the analytics client's service accounts may invoke the function (authoritative, as psoxy's).
resource "google_cloud_run_service_iam_binding" "invokers" {
  project  = var.gcp_project_id
  location = var.gcp_region
  service  = google_cloudfunctions2_function.function.service_config[0].service
  role     = "roles/run.invoker"
  members  = [for e in var.worklytics_sa_emails : "serviceAccount:${e}"]
}
