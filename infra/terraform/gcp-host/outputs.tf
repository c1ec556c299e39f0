output "api_connector_instances" {
  value = { for id, f in google_cloudfunctions2_function.function : id => {
    endpoint_url        = f.service_config[0].uri
    cloud_function_name = f.name
  } }
  description = "Per connector: Psoxy Base URL and function name (psoxy's output shape)"
}

output "bulk_connector_instances" {
  value = { for id, f in google_cloudfunctions2_function.bulk : id => {
    input_bucket          = google_storage_bucket.bulk_input[id].name
    sanitized_bucket      = google_storage_bucket.bulk_sanitized[id].name
    sanitized_bucket_name = google_storage_bucket.bulk_sanitized[id].name
    function_name         = f.name
    instance_sa_email     = google_service_account.bulk[id].email
  } }
  description = "Per bulk connector: where to upload, where the sanitized files appear (psoxy's output shape)"
}

output "artifacts_bucket_name" {
  value       = google_storage_bucket.artifacts.name
  description = "The artifacts bucket: the function package and the remote resources"
}

locals {
  # Per connector: fill what the admin fills (docs/connectors/<id>.md says where each value comes
  # from), then check. Zoom's test call is the one psoxy's todo makes. Per bulk connector: upload a
  # file under a key its rules match (docs/connectors/<id>.md says what file), then read its
  # sanitized copy.
  todos = concat(flatten([for id, c in local.connectors : concat(length(c.secrets) == 0 ? [] : [
    "Fill the ${c.name} values: ${join(" && ", [for k in c.secrets : "printf '%s' '<${c.name} ${k}>' | gcloud secrets versions add ${c.prefix}${k} --project ${var.gcp_project_id} --data-file=-"])}",
    ], [
    "Check ${c.name}: npm run -s psoxy -- call ${google_cloudfunctions2_function.function[id].service_config[0].uri} --health --sign gcp",
    ], id != "zoom" ? [] : [
    "A test call: npm run -s psoxy -- call ${google_cloudfunctions2_function.function[id].service_config[0].uri}/v2/users?page_size=5 --sign gcp",
    ], !var.enable_remote_resources ? [] : [
    "Custom ${c.name} rules (optional): gcloud storage cp rules.yaml gs://${google_storage_bucket.artifacts.name}/${local.resource_paths[id]}rules.yaml; they apply when no RULES is set",
  ])]), flatten([for id, b in local.bulk : [
    "${try(local.bulk_catalogue[b.source].name, id)}: gcloud storage cp <file> gs://${google_storage_bucket.bulk_input[id].name}/${try(local.bulk_catalogue[b.source].example_object, "<key>")}",
    "Check the sanitized copy (stored gzip-compressed): gcloud storage cp gs://${google_storage_bucket.bulk_sanitized[id].name}/${try(local.bulk_catalogue[b.source].example_object, "<key>")} sanitized",
  ]]))
}

output "todos" {
  value       = [for i, t in local.todos : "${i + 1}. ${t}"]
  description = "What to do next, in order"
}

output "next_todo_step" {
  value       = length(local.todos) + 1
  description = "Number of the next step after these todos (psoxy's output, read by its example root)"
}
