output "api_connector_instances" {
  value = {
    zoom = {
      endpoint_url        = google_cloudfunctions2_function.function.service_config[0].uri
      cloud_function_name = google_cloudfunctions2_function.function.name
    }
  }
  description = "Per connector: Psoxy Base URL and function name (psoxy's output shape)"
}

output "todos" {
  value = [
    "1. Fill the Zoom app's values: ${join(" && ", [for k in ["ACCOUNT_ID", "CLIENT_ID", "CLIENT_SECRET"] : "printf '%s' '<Zoom ${k}>' | gcloud secrets versions add ${local.zoom_prefix}${k} --project ${var.gcp_project_id} --data-file=-"])}",
    "2. Check: npm run -s psoxy -- call ${google_cloudfunctions2_function.function.service_config[0].uri} --health --sign gcp",
    "3. A test call: npm run -s psoxy -- call ${google_cloudfunctions2_function.function.service_config[0].uri}/v2/users?page_size=5 --sign gcp",
  ]
  description = "What to do next, in order"
}
