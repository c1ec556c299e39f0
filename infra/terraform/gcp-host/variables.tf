# Inputs with psoxy's gcp-host names and defaults, so a root module that calls psoxy's can call this
# one by changing `source`.

variable "gcp_project_id" {
  type        = string
  description = "Project to deploy into"
}

variable "environment_name" {
  type        = string
  default     = "psoxy"
  description = "Deployment id: prefixes names (psoxy-zoom, psoxy_ZOOM_*, psoxy-fn-zoom)"
}

variable "config_parameter_prefix" {
  type        = string
  default     = ""
  description = "Prefix of every secret (default: <environment_name>_, or psoxy_ when the name is empty)"
}

variable "enabled_connectors" {
  type        = list(string)
  default     = ["zoom"]
  description = "Connectors to deploy; this module knows zoom"
  validation {
    condition     = alltrue([for c in var.enabled_connectors : c == "zoom"])
    error_message = "This module deploys the zoom connector only."
  }
}

variable "worklytics_sa_emails" {
  type        = list(string)
  description = "Service accounts (the analytics client's) allowed to invoke the proxy"
}

variable "gcp_region" {
  type        = string
  default     = "us-central1"
  description = "Region of the function and its source bucket"
}

variable "deployment_bundle" {
  type        = string
  default     = "../../../dist/gcp-function.zip"
  description = "The Cloud Functions package built by `npm run build`"
}

variable "allowed_data_access_ip_blocks" {
  type        = list(string)
  default     = []
  description = "If set, only these IPs / CIDR blocks may call the proxy (ALLOWED_DATA_ACCESS_IP_BLOCKS)"
}

variable "pseudonymize_app_ids" {
  type        = bool
  default     = true
  description = "PSEUDONYMIZE_APP_IDS (psoxy's)"
}

variable "email_canonicalization" {
  type        = string
  default     = "STRICT"
  description = "EMAIL_CANONICALIZATION (psoxy's): STRICT or IGNORE_DOTS; changing it changes pseudonyms"
}

variable "custom_api_connector_rules" {
  type        = map(string)
  default     = {}
  description = "Connector id → path of a rules YAML replacing the built-in rules (psoxy's); passed as RULES (base64 of gzip)"
}
