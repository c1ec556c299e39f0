# psoxy-ts Zoom proxy on GCP: a Cloud Functions (gen2) HTTP function reading its secrets from
# Secret Manager, with a least-privilege service account and an invoker binding for the caller.

terraform {
  required_providers {
    google = { source = "hashicorp/google", version = ">= 5.0" }
    random = { source = "hashicorp/random", version = ">= 3.5" }
  }
}

locals {
  prefix       = upper(replace(var.name, "-", "_"))
  zoom_secrets = toset(["ACCOUNT_ID", "CLIENT_ID", "CLIENT_SECRET"])
}

# The three values from the Zoom Server-to-Server OAuth app: created empty (no version);
# the administrator adds a version with each value (see the fill_zoom_secrets output).
resource "google_secret_manager_secret" "zoom" {
  for_each  = local.zoom_secrets
  project   = var.project_id
  secret_id = "${local.prefix}_${each.key}"
  replication {
    auto {}
  }
}

# Salt and encryption key, generated once; they define the pseudonyms, so keep them.
resource "random_password" "salt" {
  length  = 20
  special = false
}

resource "random_password" "encryption_key" {
  length  = 32
  special = false
}

resource "google_secret_manager_secret" "generated" {
  for_each  = toset(["PSOXY_SALT", "PSOXY_ENCRYPTION_KEY"])
  project   = var.project_id
  secret_id = "${local.prefix}_${each.key}"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "salt" {
  secret      = google_secret_manager_secret.generated["PSOXY_SALT"].id
  secret_data = random_password.salt.result
}

resource "google_secret_manager_secret_version" "encryption_key" {
  secret      = google_secret_manager_secret.generated["PSOXY_ENCRYPTION_KEY"].id
  secret_data = random_password.encryption_key.result
}

# The shared Zoom token (versions written by the proxy) and the lock (a label on this secret).
resource "google_secret_manager_secret" "access_token" {
  project   = var.project_id
  secret_id = "${local.prefix}_ACCESS_TOKEN"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret" "lock" {
  project   = var.project_id
  secret_id = "${local.prefix}_OAUTH_REFRESH_TOKEN"
  replication {
    auto {}
  }
  lifecycle {
    ignore_changes = [labels]
  }
}

resource "google_service_account" "proxy" {
  project      = var.project_id
  account_id   = var.name
  display_name = "psoxy ${var.name} proxy"
}

# Read: its own secrets only.
resource "google_secret_manager_secret_iam_member" "read" {
  for_each = merge(
    { for k, s in google_secret_manager_secret.zoom : k => s.id },
    { for k, s in google_secret_manager_secret.generated : k => s.id },
    { ACCESS_TOKEN = google_secret_manager_secret.access_token.id },
  )
  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.proxy.email}"
}

# Write: new token versions, and destroy the old ones.
resource "google_secret_manager_secret_iam_member" "token_writer" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.access_token.id
  role      = "roles/secretmanager.secretVersionManager"
  member    = "serviceAccount:${google_service_account.proxy.email}"
}

# The lock: read and update labels of the lock secret, nothing else.
resource "google_project_iam_custom_role" "lock" {
  project     = var.project_id
  role_id     = "${replace(var.name, "-", "_")}_token_lock"
  title       = "psoxy ${var.name} token lock"
  permissions = ["secretmanager.secrets.get", "secretmanager.secrets.update"]
}

resource "google_secret_manager_secret_iam_member" "lock" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.lock.id
  role      = google_project_iam_custom_role.lock.id
  member    = "serviceAccount:${google_service_account.proxy.email}"
}

resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name}-source"
  location                    = var.region
  uniform_bucket_level_access = true
}

resource "google_storage_bucket_object" "source" {
  bucket = google_storage_bucket.source.name
  name   = "gcp-function-${filemd5(var.source_zip)}.zip"
  source = var.source_zip
}

resource "google_cloudfunctions2_function" "proxy" {
  project  = var.project_id
  location = var.region
  name     = var.name

  build_config {
    runtime     = var.runtime
    entry_point = "psoxy"
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory      = "${var.memory_mb}M"
    timeout_seconds       = 60
    max_instance_count    = var.max_instances
    service_account_email = google_service_account.proxy.email
    ingress_settings      = "ALLOW_ALL"
    environment_variables = {
      SOURCE                          = "zoom"
      TARGET_HOST                     = "api.zoom.us"
      SOURCE_AUTH_STRATEGY_IDENTIFIER = "oauth2_refresh_token"
      GRANT_TYPE                      = "account_credentials"
      REFRESH_ENDPOINT                = "https://zoom.us/oauth/token"
      USE_SHARED_TOKEN                = "true"
      PATH_TO_INSTANCE_CONFIG         = "${local.prefix}_"
      PATH_TO_SHARED_CONFIG           = "${local.prefix}_"
      GOOGLE_CLOUD_PROJECT            = var.project_id
    }
  }

  depends_on = [google_secret_manager_secret_iam_member.read]
}

# Only the analytics client's service accounts may invoke the function.
resource "google_cloud_run_service_iam_member" "invoker" {
  for_each = toset(var.invoker_service_accounts)
  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.proxy.service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${each.value}"
}
