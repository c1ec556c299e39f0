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
  description = "Connectors to deploy, by psoxy's ids (zoom, gcal, msft-teams, …: `psoxy connectors` lists them; ../connectors.json holds what the module knows of each), API and bulk alike (hris, badge, …: each as if in bulk_connectors), or by a catalogue alias (psoxy's Terraform key where it differs from our id: slack-discovery-api, azure-ad, …), which deploys that connector under the alias's names. An unknown id fails the plan, naming it."
}

variable "connector_settings" {
  type        = map(map(string))
  default     = {}
  description = "Connector id → environment settings over the catalogue's (e.g. { salesforce = { TARGET_HOST = \"acme.my.salesforce.com\", REFRESH_ENDPOINT = \"https://acme.my.salesforce.com/services/oauth2/token\" } }): where the catalogue has a placeholder (YOUR-DOMAIN, {GITHUB_ENTERPRISE_SERVER_HOST}), psoxy takes a per-connector input"
}

variable "aws_ssm_param_root_path" {
  type        = string
  default     = ""
  description = "Prefix of every SSM parameter name (psoxy's); empty keeps PSOXY_SALT and PSOXY_ZOOM_* at the root"
}

variable "aws_ssm_key_id" {
  type        = string
  default     = null
  description = "KMS key (id, alias or ARN) for the SecureString parameters and Secrets Manager secrets (default: AWS-managed); the functions may decrypt and encrypt with it"
}

variable "function_env_kms_key_arn" {
  type        = string
  default     = null
  description = "KMS key ARN encrypting the functions' environments (psoxy's); the functions may decrypt and encrypt with it"
}

variable "logs_kms_key_arn" {
  type        = string
  default     = null
  description = "KMS key ARN encrypting the log groups (psoxy's); its key policy must let CloudWatch Logs use it"
}

variable "project_aws_kms_key_arn" {
  type        = string
  default     = null
  description = "psoxy's example-root input: one KMS key ARN for each of the three above that is not set"
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

variable "enable_remote_resources" {
  type        = bool
  default     = false
  description = "Read rules.yaml from artifacts_bucket_name under each connector's folder (psoxy's remote resources: PSOXY/ZOOM/rules.yaml by default)"
}

variable "artifacts_bucket_name" {
  type        = string
  default     = null
  description = "Existing S3 bucket of the remote resources (psoxy's input name; psoxy's aws-host outputs the one it created as artifacts_bucket_name)"
}

variable "bulk_connectors" {
  # any, as psoxy's example root passes its connector specs merged with custom_bulk_connectors: their
  # rules differ in shape from one connector to the next (columnar, record, fileRules).
  type        = any
  default     = {}
  description = "Bulk connectors by id (psoxy's input): any bulk id of the catalogue (hris, badge, survey, slack-discovery-bulk, zoom-ai-metrics, …: ../connectors.json lists them), or a custom id with rules. Optional per connector: source_kind (whose built-in rules a custom id takes), rules (object), rules_file (path), memory_size_mb, environment_variables. Ignored: psoxy's example_file, instructions_template, settings_to_provide, …"
  validation {
    condition     = alltrue([for k, v in var.bulk_connectors : can(keys(v))])
    error_message = "Each bulk_connectors value is an object (source_kind, rules, rules_file, memory_size_mb, environment_variables)."
  }
}

variable "custom_bulk_connector_rules" {
  type        = any
  default     = {}
  description = "Connector id → rules object replacing the connector's (psoxy's; pseudonymFormat URL_SAFE_TOKEN unless set); stored as the RULES parameter"
}

variable "custom_bulk_connector_arguments" {
  type        = map(object({ memory_size_mb = optional(number) }))
  default     = {}
  description = "Bulk connector id → memory_size_mb of its function (psoxy's; default 1024)"
}

variable "bulk_input_expiration_days" {
  type        = number
  default     = 30
  description = "Days after which uploaded files expire (psoxy's)"
}

variable "bulk_sanitized_expiration_days" {
  type        = number
  default     = 720
  description = "Days after which sanitized files expire (psoxy's)"
}

variable "provision_bucket_public_access_block" {
  type        = bool
  default     = true
  description = "Block public access on the bulk buckets (psoxy's); false only where an organisation policy already does"
}

variable "bulk_deployment_bundle" {
  type        = string
  default     = null
  description = "The bulk Lambda zip built by `npm run build` (default: aws-bulk-lambda.zip beside deployment_bundle)"
}
