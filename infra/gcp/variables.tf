variable "project_id" {
  type        = string
  description = "GCP project to deploy into"
}

variable "region" {
  type        = string
  default     = "us-central1"
  description = "Region of the function and its source bucket"
}

variable "name" {
  type        = string
  default     = "psoxy-zoom"
  description = "Function name; secrets are named from it (psoxy-zoom -> PSOXY_ZOOM_*)"
}

variable "source_zip" {
  type        = string
  default     = "../../dist/gcp-function.zip"
  description = "The package built by `npm run build`"
}

variable "runtime" {
  type        = string
  default     = "nodejs22"
  description = "Cloud Functions runtime (nodejs22 or later)"
}

variable "memory_mb" {
  type        = number
  default     = 256
  description = "Memory per instance; 256 MB is plenty for this proxy"
}

variable "max_instances" {
  type        = number
  default     = 10
  description = "Upper bound on concurrent instances"
}

variable "invoker_service_accounts" {
  type        = list(string)
  description = "Service accounts (the analytics client's) allowed to call the proxy"
}
