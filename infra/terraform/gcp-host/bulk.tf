# Zoom AI Metrics bulk (psoxy's custom bulk connector "zoom-ai-metrics"): a CSV finalized in the
# input bucket triggers the bulk function (Eventarc), which writes the sanitized copy to the
# sanitized bucket. Names are psoxy's (psoxy-zoom-ai-metrics, <function>-<random>-input /
# -sanitized); `moved.tf` keeps an existing deployment's buckets, whose names Terraform never changes.

locals {
  bulk_id        = "zoom-ai-metrics"
  bulk_enabled   = contains(keys(var.bulk_connectors), local.bulk_id)
  bulk_function  = "${local.env_prefix}${local.bulk_id}"
  bulk_prefix    = "${local.secret_prefix}ZOOM_AI_METRICS_"
  bulk_connector = local.bulk_enabled ? var.bulk_connectors[local.bulk_id] : null
  # Rules as psoxy takes them: custom_bulk_connector_rules (pseudonymFormat URL_SAFE_TOKEN unless
  # set, psoxy's default there), else the connector's rules, else its rules_file; none → the
  # built-in zoom-ai-metrics rules (SOURCE). Unset rule fields are left out.
  bulk_custom_rules  = try(var.custom_bulk_connector_rules[local.bulk_id], null)
  bulk_rules_objects = [for r in [local.bulk_custom_rules == null ? null : merge(local.bulk_custom_rules, { pseudonymFormat = coalesce(try(local.bulk_custom_rules.pseudonymFormat, null), "URL_SAFE_TOKEN") }), try(local.bulk_connector.rules, null)] : { for k, v in r : k => v if v != null } if r != null]
  bulk_rules         = length(local.bulk_rules_objects) > 0 ? yamlencode(local.bulk_rules_objects[0]) : try(local.bulk_connector.rules_file, null) != null ? file(local.bulk_connector.rules_file) : null
  bulk_memory_mb     = coalesce(try(var.custom_bulk_connector_arguments[local.bulk_id].available_memory_mb, null), 1024)
  bulk_timeout       = coalesce(try(var.custom_bulk_connector_arguments[local.bulk_id].timeout_seconds, null), 540)
}

# Part of both bucket names; never regenerated (a new value would mean new buckets).
resource "random_string" "bulk_bucket_id" {
  count   = local.bulk_enabled ? 1 : 0
  length  = 8
  special = false
  lower   = true
  upper   = false
  numeric = true
  lifecycle {
    ignore_changes = [length, special, lower, upper, numeric]
  }
}

resource "google_storage_bucket" "bulk_input" {
  count                       = local.bulk_enabled ? 1 : 0
  project                     = var.gcp_project_id
  name                        = "${local.bulk_function}-${random_string.bulk_bucket_id[0].id}-input"
  location                    = var.gcp_region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  lifecycle_rule {
    condition {
      age = var.bulk_input_expiration_days
    }
    action {
      type = "Delete"
    }
  }
  lifecycle {
    ignore_changes = [name]
  }
}

resource "google_storage_bucket" "bulk_sanitized" {
  count                       = local.bulk_enabled ? 1 : 0
  project                     = var.gcp_project_id
  name                        = "${local.bulk_function}-${random_string.bulk_bucket_id[0].id}-sanitized"
  location                    = var.gcp_region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  lifecycle_rule {
    condition {
      age = var.bulk_sanitized_expiration_days
    }
    action {
      type = "Delete"
    }
  }
  lifecycle {
    ignore_changes = [name, labels]
  }
}

resource "google_service_account" "bulk" {
  count        = local.bulk_enabled ? 1 : 0
  project      = var.gcp_project_id
  account_id   = trim(substr(local.bulk_function, 0, 30), "-")
  display_name = "psoxy ${local.bulk_function}"
}

# Read uploads; write (create, and replace: delete) sanitized files, with psoxy's custom role. The
# role is kept whether or not bulk is on, as psoxy's: a deleted custom role's id stays taken for weeks.
resource "google_project_iam_custom_role" "bucket_write" {
  project     = var.gcp_project_id
  role_id     = "${local.role_prefix}writeAccess"
  title       = "psoxy bucket object write"
  permissions = ["storage.objects.create", "storage.objects.delete"]
}

resource "google_storage_bucket_iam_member" "bulk_input_read" {
  count  = local.bulk_enabled ? 1 : 0
  bucket = google_storage_bucket.bulk_input[0].name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.bulk[0].email}"
}

resource "google_storage_bucket_iam_member" "bulk_output_write" {
  count  = local.bulk_enabled ? 1 : 0
  bucket = google_storage_bucket.bulk_sanitized[0].name
  role   = google_project_iam_custom_role.bucket_write.id
  member = "serviceAccount:${google_service_account.bulk[0].email}"
}

# The analytics client collects the sanitized files.
resource "google_storage_bucket_iam_member" "bulk_sanitized_readers" {
  count  = local.bulk_enabled ? length(var.worklytics_sa_emails) : 0
  bucket = google_storage_bucket.bulk_sanitized[0].name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${var.worklytics_sa_emails[count.index]}"
}

# The shared salt and key, as the API function reads them.
resource "google_secret_manager_secret_iam_member" "bulk_accessor" {
  for_each  = local.bulk_enabled ? { PSOXY_SALT = google_secret_manager_secret.pseudonym_salt.id, PSOXY_ENCRYPTION_KEY = google_secret_manager_secret.pseudonymization_key.id } : {}
  project   = var.gcp_project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.bulk[0].email}"
}

# Eventarc delivers the bucket's events as the function's service account (project is the
# narrowest level of eventReceiver), which invokes the function; Cloud Storage publishes them.
resource "google_project_iam_member" "bulk_event_receiver" {
  count   = local.bulk_enabled ? 1 : 0
  project = var.gcp_project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.bulk[0].email}"
}

resource "google_cloud_run_service_iam_member" "bulk_invoker" {
  count    = local.bulk_enabled ? 1 : 0
  project  = var.gcp_project_id
  location = var.gcp_region
  service  = google_cloudfunctions2_function.bulk[0].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.bulk[0].email}"
}

data "google_storage_project_service_account" "gcs" {
  count   = local.bulk_enabled ? 1 : 0
  project = var.gcp_project_id
}

resource "google_project_iam_member" "gcs_pubsub_publisher" {
  count   = local.bulk_enabled ? 1 : 0
  project = var.gcp_project_id
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${data.google_storage_project_service_account.gcs[0].email_address}"
}

resource "google_cloudfunctions2_function" "bulk" {
  count       = local.bulk_enabled ? 1 : 0
  project     = var.gcp_project_id
  location    = var.gcp_region
  name        = local.bulk_function
  description = "Psoxy instance to process zoom-ai-metrics files"

  build_config {
    runtime     = "nodejs22"
    entry_point = "psoxyBulk"
    source {
      storage_source {
        bucket = google_storage_bucket.artifacts.name
        object = google_storage_bucket_object.function.name
      }
    }
  }

  service_config {
    available_memory      = "${local.bulk_memory_mb}M"
    timeout_seconds       = local.bulk_timeout
    service_account_email = google_service_account.bulk[0].email
    ingress_settings      = "ALLOW_INTERNAL_ONLY"
    environment_variables = merge(local.common_env, {
      SOURCE                  = local.bulk_id
      OUTPUT_BUCKET           = google_storage_bucket.bulk_sanitized[0].name
      PATH_TO_INSTANCE_CONFIG = local.bulk_prefix
      },
      # Rules as psoxy passes them: base64 of the gzipped YAML.
      local.bulk_rules == null ? {} : { RULES = base64gzip(local.bulk_rules) },
      try(local.remote_resource_env[local.bulk_id], {}),
    )
  }

  event_trigger {
    event_type            = "google.cloud.storage.object.v1.finalized"
    trigger_region        = var.gcp_region
    service_account_email = google_service_account.bulk[0].email
    # psoxy's: a failed file is not retried (no way to bound the retries).
    retry_policy = "RETRY_POLICY_DO_NOT_RETRY"
    event_filters {
      attribute = "bucket"
      value     = google_storage_bucket.bulk_input[0].name
    }
  }

  depends_on = [google_secret_manager_secret_iam_member.bulk_accessor, google_project_iam_member.bulk_event_receiver, google_project_iam_member.gcs_pubsub_publisher]
}
