# Inputs with psoxy's aws-host names and defaults, so a root module that calls psoxy's can call this
# one by changing `source`. Inputs psoxy has and this module does not use yet are listed in README.md.

variable "environment_name" {
  type        = string
  default     = "psoxy"
  description = "Deployment id: prefixes every name (psoxy-zoom, PSOXY_ZOOM_*, psoxyCaller)"
}

variable "enabled_connectors" {
  type        = list(string)
  default     = ["zoom"]
  description = "Connectors to deploy; this module knows zoom"
  validation {
    condition     = alltrue([for c in var.enabled_connectors : c == "zoom"])
    error_message = "This module deploys the zoom connector only (others: see the connector catalogue issue)."
  }
}

variable "aws_ssm_param_root_path" {
  type        = string
  default     = ""
  description = "Prefix of every SSM parameter name (psoxy's); empty keeps PSOXY_SALT and PSOXY_ZOOM_* at the root"
}

variable "aws_ssm_key_id" {
  type        = string
  default     = null
  description = "KMS key for the SecureString parameters (default alias/aws/ssm)"
}

variable "caller_aws_arns" {
  type        = list(string)
  default     = []
  description = "AWS principals (the analytics client) allowed to assume the caller role"
}

variable "caller_gcp_service_account_ids" {
  type        = list(string)
  default     = []
  description = "Numeric ids of Google service accounts (Worklytics tenants) allowed to assume the caller role with a Google identity token"
}

variable "allowed_data_access_ip_blocks" {
  type        = list(string)
  default     = []
  description = "If set, only these IPs / CIDR blocks may call the proxy (ALLOWED_DATA_ACCESS_IP_BLOCKS)"
}

variable "log_retention_days" {
  type        = number
  default     = 7
  description = "Retention of the function's CloudWatch log group"
}

variable "deployment_bundle" {
  type        = string
  default     = "../../../dist/aws-lambda.zip"
  description = "The Lambda zip built by `npm run build` (psoxy's input name; a JAR is not accepted)"
}

variable "memory_size_mb" {
  type        = number
  default     = 256
  description = "Lambda memory; this proxy needs far less than psoxy's 512 MB"
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
  description = "Connector id → path of a rules YAML replacing the built-in rules (psoxy's); stored as the RULES parameter"
}

variable "secrets_store_implementation" {
  type        = string
  default     = "aws_ssm_parameter_store"
  description = "Where secret values live (psoxy's): aws_ssm_parameter_store, or aws_secrets_manager (secret values there, ids and settings in SSM)"
  validation {
    condition     = contains(["aws_ssm_parameter_store", "aws_secrets_manager"], var.secrets_store_implementation)
    error_message = "secrets_store_implementation must be aws_ssm_parameter_store or aws_secrets_manager."
  }
}

variable "aws_secrets_manager_path" {
  type        = string
  default     = ""
  description = "Prefix of the shared salt and key in Secrets Manager mode (psoxy's)"
}
