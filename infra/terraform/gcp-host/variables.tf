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
  description = "Connectors to deploy, by psoxy's ids (zoom, gcal, msft-teams, …: `psoxy connectors` lists them; ../connectors.json holds what the module knows of each), API and bulk alike (hris, badge, …: each as if in bulk_connectors), or by a catalogue alias (psoxy's Terraform key where it differs from our id: slack-discovery-api, azure-ad, …), which deploys that connector under the alias's names. An unknown id fails the plan, naming it."
}

variable "connector_settings" {
  type        = map(map(string))
  default     = {}
  description = "Connector id → environment settings over the catalogue's (e.g. { salesforce = { TARGET_HOST = \"acme.my.salesforce.com\", REFRESH_ENDPOINT = \"https://acme.my.salesforce.com/services/oauth2/token\" } }): where the catalogue has a placeholder (YOUR-DOMAIN, {GITHUB_ENTERPRISE_SERVER_HOST}), psoxy takes a per-connector input"
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

variable "custom_artifacts_bucket_name" {
  type        = string
  default     = null
  description = "Name of the artifacts bucket (psoxy's; default <project>-<environment>-artifacts-bucket): the function package and the remote resources"
}

variable "enable_remote_resources" {
  type        = bool
  default     = false
  description = "Read rules.yaml from the artifacts bucket under each connector's folder (psoxy's remote resources: psoxy/ZOOM/rules.yaml by default)"
}

variable "bulk_connectors" {
  # any, as psoxy's example root passes its connector specs merged with custom_bulk_connectors: their
  # rules differ in shape from one connector to the next (columnar, record, fileRules).
  type        = any
  default     = {}
  description = "Bulk connectors by id (psoxy's input): any bulk id of the catalogue (hris, badge, survey, slack-discovery-bulk, zoom-ai-metrics, …: ../connectors.json lists them), or a custom id with rules. Optional per connector: source_kind (whose built-in rules a custom id takes), rules (object), rules_file (path), available_memory_mb, timeout_seconds, environment_variables. Ignored: psoxy's example_file, instructions_template, input_bucket_name, …"
  validation {
    condition     = alltrue([for k, v in var.bulk_connectors : can(keys(v))])
    error_message = "Each bulk_connectors value is an object (source_kind, rules, rules_file, available_memory_mb, timeout_seconds, environment_variables)."
  }
}

variable "custom_bulk_connector_rules" {
  type        = any
  default     = {}
  description = "Connector id → rules object replacing the connector's (psoxy's; pseudonymFormat URL_SAFE_TOKEN unless set); passed as RULES (base64 of gzip)"
}

variable "custom_bulk_connector_arguments" {
  type        = map(object({ available_memory_mb = optional(number), timeout_seconds = optional(number) }))
  default     = {}
  description = "Connector id → memory (default 1024) and timeout (default 540 s) of its bulk function (psoxy's)"
}

variable "bulk_input_expiration_days" {
  type        = number
  default     = 30
  description = "Days after which uploaded files are deleted (psoxy's)"
}

variable "bulk_sanitized_expiration_days" {
  type        = number
  default     = 720
  description = "Days after which sanitized files are deleted (psoxy's)"
}
