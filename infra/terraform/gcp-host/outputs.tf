output "api_connector_instances" {
  value = {
    zoom = {
      endpoint_url        = google_cloudfunctions2_function.function.service_config[0].uri
      cloud_function_name = google_cloudfunctions2_function.function.name
    }
  }
  description = "Per connector: Psoxy Base URL and function name (psoxy's output shape)"
}

output "bulk_connector_instances" {
  value = { for k in (local.bulk_enabled ? [local.bulk_id] : []) : k => {
    input_bucket          = google_storage_bucket.bulk_input[0].name
    sanitized_bucket      = google_storage_bucket.bulk_sanitized[0].name
    sanitized_bucket_name = google_storage_bucket.bulk_sanitized[0].name
    function_name         = google_cloudfunctions2_function.bulk[0].name
    instance_sa_email     = google_service_account.bulk[0].email
  } }
  description = "Per bulk connector: where to upload, where the sanitized files appear (psoxy's output shape)"
}

output "artifacts_bucket_name" {
  value       = google_storage_bucket.artifacts.name
  description = "The artifacts bucket: the function package and the remote resources"
}

locals {
  todos = concat([
    "Fill the Zoom app's values: ${join(" && ", [for k in ["ACCOUNT_ID", "CLIENT_ID", "CLIENT_SECRET"] : "printf '%s' '<Zoom ${k}>' | gcloud secrets versions add ${local.zoom_prefix}${k} --project ${var.gcp_project_id} --data-file=-"])}",
    "Check: npm run -s psoxy -- call ${google_cloudfunctions2_function.function.service_config[0].uri} --health --sign gcp",
    "A test call: npm run -s psoxy -- call ${google_cloudfunctions2_function.function.service_config[0].uri}/v2/users?page_size=5 --sign gcp",
    ], !var.enable_remote_resources ? [] : [
    "Custom rules (optional): gcloud storage cp rules.yaml gs://${google_storage_bucket.artifacts.name}/${local.resource_paths["zoom"]}rules.yaml; they apply when no RULES is set",
    ], !local.bulk_enabled ? [] : [
    "Zoom AI Metrics: gcloud storage cp <snapshot.csv> gs://${google_storage_bucket.bulk_input[0].name}/ai-metrics.csv",
    "Check the sanitized copy (stored gzip-compressed): gcloud storage cp gs://${google_storage_bucket.bulk_sanitized[0].name}/ai-metrics.csv sanitized.csv",
  ])
}

output "todos" {
  value       = [for i, t in local.todos : "${i + 1}. ${t}"]
  description = "What to do next, in order"
}

output "next_todo_step" {
  value       = length(local.todos) + 1
  description = "Number of the next step after these todos (psoxy's output, read by its example root)"
}
