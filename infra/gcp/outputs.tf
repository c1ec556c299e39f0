output "proxy_url" {
  value       = google_cloudfunctions2_function.proxy.service_config[0].uri
  description = "Psoxy base URL (give it to the analytics client)"
}

output "fill_zoom_secrets" {
  value = join(" && ", [
    for k in ["ACCOUNT_ID", "CLIENT_ID", "CLIENT_SECRET"] :
    "printf '%s' '<Zoom ${k}>' | gcloud secrets versions add ${local.prefix}_${k} --project ${var.project_id} --data-file=-"
  ])
  description = "Step 1: copy Account ID, Client ID and Client Secret from your Zoom Server-to-Server OAuth app"
}

output "test_call" {
  value       = "npm run -s psoxy -- call ${google_cloudfunctions2_function.proxy.service_config[0].uri}/v2/users?page_size=5 --sign gcp"
  description = "Step 2: a test call with your gcloud identity (add --health for the health check)"
}
