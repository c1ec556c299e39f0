# The Zoom proxy on AWS, laid out as psoxy's aws-host module lays it out: the same SSM parameter
# names, function, role and log group names, and the same IAM shape, so the runtime reads what an
# existing psoxy deployment already holds. `moved.tf` maps psoxy's resource addresses onto these.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  deployment_id   = replace(var.environment_name, " ", "-")
  function_prefix = replace(local.deployment_id, "_", "-")
  function_name   = "${local.function_prefix}-zoom"
  ssm_root        = var.aws_ssm_param_root_path != "" && strcontains(var.aws_ssm_param_root_path, "/") && !startswith(var.aws_ssm_param_root_path, "/") ? "/${var.aws_ssm_param_root_path}" : var.aws_ssm_param_root_path
  env_ssm_prefix  = "${local.ssm_root}${upper(replace(local.deployment_id, "-", "_"))}_"
  instance_prefix = "${local.env_ssm_prefix}ZOOM_"
  shared_prefix   = local.ssm_root
  # Where the runtime finds the shared salt and key: the SSM root, or the Secrets Manager path.
  shared_config = var.secrets_store_implementation == "aws_secrets_manager" ? var.aws_secrets_manager_path : local.ssm_root
  ssm_arn       = "arn:aws:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter"
  # psoxy names parameters without a leading slash; ARNs need exactly one.
  ssm_arn_path = startswith(local.ssm_root, "/") ? local.ssm_arn : "${local.ssm_arn}/"
  zoom_values  = toset(["CLIENT_SECRET", "CLIENT_ID", "ACCOUNT_ID", "ACCESS_TOKEN", "OAUTH_REFRESH_TOKEN"])
  # psoxy's Secrets Manager mode: the secret values there; ids, settings and the lock in SSM.
  use_secrets_manager = var.secrets_store_implementation == "aws_secrets_manager"
  zoom_secrets        = local.use_secrets_manager ? toset(["CLIENT_SECRET", "ACCESS_TOKEN"]) : toset([])
  zoom_parameters     = setsubtract(local.zoom_values, local.zoom_secrets)
  shared_values = {
    PSOXY_SALT           = random_password.pseudonym_salt.result
    PSOXY_ENCRYPTION_KEY = random_password.encryption_key.result
  }
  secret_arn = "arn:aws:secretsmanager:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:secret"

  # Customer-managed KMS keys, as psoxy's example root passes project_aws_kms_key_arn to aws-host's
  # three inputs: SecureString parameters and secrets, Lambda environments, log groups.
  ssm_kms_key  = var.aws_ssm_key_id != null ? var.aws_ssm_key_id : var.project_aws_kms_key_arn
  env_kms_key  = var.function_env_kms_key_arn != null ? var.function_env_kms_key_arn : var.project_aws_kms_key_arn
  logs_kms_key = var.logs_kms_key_arn != null ? var.logs_kms_key_arn : var.project_aws_kms_key_arn

  # psoxy's remote resources: bucket keys in a '/' hierarchy under the shared path (or the
  # environment's SSM prefix), one folder per connector: PSOXY/ZOOM/rules.yaml by default.
  resource_root        = trimsuffix(trimprefix(local.shared_config != "" ? local.shared_config : trimsuffix(local.env_ssm_prefix, "_"), "/"), "_")
  shared_resource_path = "${local.resource_root}/"
  resource_paths = !var.enable_remote_resources ? {} : merge(
    { zoom = "${local.shared_resource_path}ZOOM/" },
    local.bulk_enabled ? { (local.bulk_id) = "${local.shared_resource_path}ZOOM_AI_METRICS/" } : {},
  )
  remote_resource_env = { for k, path in local.resource_paths : k => { REMOTE_RESOURCE_BUCKET = var.artifacts_bucket_name, INSTANCE_RESOURCE_PATH = path } }

  # Settings every function of this deployment takes alike.
  common_env = merge({
    EMAIL_CANONICALIZATION = var.email_canonicalization
    IS_DEVELOPMENT_MODE    = "false"
    SECRETS_STORE          = upper(var.secrets_store_implementation)
  }, local.shared_config == "" ? {} : { PATH_TO_SHARED_CONFIG = local.shared_config })
}

# Salt and key: generated once; they define every pseudonym. Never regenerated: an existing psoxy
# deployment's values are moved into state (moved.tf), and the parameters ignore later changes.
resource "random_password" "pseudonym_salt" {
  length = 20
}

resource "random_password" "encryption_key" {
  length = 32
}

resource "aws_ssm_parameter" "shared" {
  for_each    = local.use_secrets_manager ? {} : local.shared_values
  name        = "${local.shared_prefix}${each.key}"
  type        = "SecureString"
  key_id      = coalesce(local.ssm_kms_key, "alias/aws/ssm")
  value       = each.value
  description = "psoxy ${each.key}: keep it, it defines the pseudonyms"
  lifecycle {
    ignore_changes = [value, tags]
  }
}

# The Zoom app's values (filled by the administrator) and the shared token with its lock (written
# by the proxy): created as psoxy's 'fill me' placeholder, never overwritten by Terraform.
resource "aws_ssm_parameter" "zoom" {
  for_each    = local.zoom_parameters
  name        = "${local.instance_prefix}${each.key}"
  type        = "SecureString"
  key_id      = coalesce(local.ssm_kms_key, "alias/aws/ssm")
  value       = "fill me"
  description = "Zoom ${each.key} for psoxy-zoom"
  lifecycle {
    ignore_changes = [value, tags]
  }
}

# Secrets Manager mode: the shared salt and key with their generated values, and the Zoom secret
# values created without a version (psoxy's), for the administrator to fill.
resource "aws_secretsmanager_secret" "shared" {
  for_each    = local.use_secrets_manager ? local.shared_values : {}
  name        = "${var.aws_secrets_manager_path}${each.key}"
  kms_key_id  = local.ssm_kms_key
  description = "psoxy ${each.key}: keep it, it defines the pseudonyms"
}

resource "aws_secretsmanager_secret_version" "shared" {
  for_each      = aws_secretsmanager_secret.shared
  secret_id     = each.value.id
  secret_string = local.shared_values[each.key]
  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_secretsmanager_secret" "zoom" {
  for_each    = local.zoom_secrets
  name        = "${local.instance_prefix}${each.key}"
  kms_key_id  = local.ssm_kms_key
  description = "Zoom ${each.key} for psoxy-zoom"
}

resource "aws_cloudwatch_log_group" "lambda_log" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = local.logs_kms_key
}

data "aws_iam_policy_document" "assume_by_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "iam_for_lambda" {
  name               = "${local.function_name}_Exec"
  assume_role_policy = data.aws_iam_policy_document.assume_by_lambda.json
}

resource "aws_iam_role_policy_attachment" "basic" {
  role       = aws_iam_role.iam_for_lambda.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

# Read by every function: the shared salt and key by name, and any customer KMS key they and the
# instance values are encrypted with (Decrypt to read a SecureString, Encrypt for the token's writes).
data "aws_iam_policy_document" "shared_config_read" {
  statement {
    sid       = "ReadSharedSSMParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["${local.ssm_arn_path}${local.shared_prefix}PSOXY_SALT", "${local.ssm_arn_path}${local.shared_prefix}PSOXY_ENCRYPTION_KEY"]
  }
  dynamic "statement" {
    for_each = local.use_secrets_manager ? [1] : []
    content {
      sid       = "ReadSharedSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = ["${local.secret_arn}:${var.aws_secrets_manager_path}PSOXY_SALT-??????", "${local.secret_arn}:${var.aws_secrets_manager_path}PSOXY_ENCRYPTION_KEY-??????"]
    }
  }
  dynamic "statement" {
    for_each = local.ssm_kms_key == null && local.env_kms_key == null ? [] : [1]
    content {
      sid       = "AllowKMSUse"
      actions   = ["kms:Decrypt", "kms:Encrypt"]
      resources = concat(data.aws_kms_key.ssm[*].arn, local.env_kms_key == null ? [] : [local.env_kms_key])
    }
  }
}

# IAM wants the key's ARN; aws_ssm_key_id may be an id or an alias.
data "aws_kms_key" "ssm" {
  count  = local.ssm_kms_key == null ? 0 : 1
  key_id = local.ssm_kms_key
}

# Remote resources: GetObject on the connector's own folder only (no ListBucket, as psoxy).
data "aws_iam_policy_document" "remote_resource_read" {
  for_each = local.resource_paths
  statement {
    sid       = "ReadRemoteResources"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.artifacts_bucket_name}/${each.value}*"]
  }
}

# What the API function calls, and nothing else: read its namespace (batched), write the shared
# token and its lock there (Secrets Manager mode: the secret values in Secrets Manager).
data "aws_iam_policy_document" "required_resource_access" {
  source_policy_documents = concat([data.aws_iam_policy_document.shared_config_read.json], [for k, d in data.aws_iam_policy_document.remote_resource_read : d.json if k == "zoom"])
  statement {
    sid       = "ReadInstanceSSMParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory", "ssm:GetParametersByPath", "ssm:PutParameter", "ssm:DeleteParameter"]
    resources = ["${local.ssm_arn_path}${local.instance_prefix}*"]
  }
  dynamic "statement" {
    for_each = local.use_secrets_manager ? [1] : []
    content {
      sid       = "ReadWriteInstanceSecretsManagerSecrets"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds", "secretsmanager:PutSecretValue"]
      resources = ["${local.secret_arn}:${local.instance_prefix}*"]
    }
  }
}

resource "aws_iam_policy" "required_resource_access" {
  name   = "${local.function_name}_resourceAccess"
  policy = data.aws_iam_policy_document.required_resource_access.json
}

resource "aws_iam_role_policy_attachment" "attach_policy" {
  role       = aws_iam_role.iam_for_lambda.name
  policy_arn = aws_iam_policy.required_resource_access.arn
}

resource "aws_lambda_function" "instance" {
  function_name    = local.function_name
  role             = aws_iam_role.iam_for_lambda.arn
  runtime          = "nodejs24.x"
  architectures    = ["arm64"]
  handler          = "index.handler"
  filename         = var.deployment_bundle
  source_code_hash = filebase64sha256(var.deployment_bundle)
  memory_size      = var.memory_size_mb
  timeout          = 55
  kms_key_arn      = local.env_kms_key
  environment {
    variables = merge(local.common_env, {
      SOURCE                          = "zoom"
      TARGET_HOST                     = "api.zoom.us"
      SOURCE_AUTH_STRATEGY_IDENTIFIER = "oauth2_refresh_token"
      GRANT_TYPE                      = "account_credentials"
      REFRESH_ENDPOINT                = "https://zoom.us/oauth/token"
      USE_SHARED_TOKEN                = "TRUE"
      OAUTH_SCOPES                    = ""
      REQUEST_TIMEOUT_SECONDS         = "50"
      PSEUDONYMIZE_APP_IDS            = tostring(var.pseudonymize_app_ids)
      PATH_TO_INSTANCE_CONFIG         = local.instance_prefix
      },
      length(var.allowed_data_access_ip_blocks) == 0 ? {} : { ALLOWED_DATA_ACCESS_IP_BLOCKS = join(",", var.allowed_data_access_ip_blocks) },
      try(local.remote_resource_env["zoom"], {}),
    )
  }
  depends_on = [aws_cloudwatch_log_group.lambda_log, aws_iam_role_policy_attachment.attach_policy]
  lifecycle {
    precondition {
      condition     = !var.enable_remote_resources || var.artifacts_bucket_name != null
      error_message = "enable_remote_resources needs artifacts_bucket_name: this module uploads no artifacts, so name the bucket holding rules.yaml."
    }
  }
}

resource "aws_lambda_function_url" "lambda_url" {
  count              = 1
  function_name      = aws_lambda_function.instance.function_name
  authorization_type = "AWS_IAM"
}

# The role the analytics client assumes: AWS principals, or a Google identity (Worklytics).
data "aws_iam_policy_document" "caller_trust" {
  dynamic "statement" {
    for_each = length(var.caller_aws_arns) == 0 ? [] : [1]
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = var.caller_aws_arns
      }
    }
  }
  dynamic "statement" {
    for_each = length(var.caller_gcp_service_account_ids) == 0 ? [] : [1]
    content {
      actions = ["sts:AssumeRoleWithWebIdentity"]
      principals {
        type        = "Federated"
        identifiers = ["accounts.google.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "accounts.google.com:aud"
        values   = var.caller_gcp_service_account_ids
      }
    }
  }
}

resource "aws_iam_role" "api_caller" {
  name               = "${local.deployment_id}Caller"
  assume_role_policy = data.aws_iam_policy_document.caller_trust.json
  lifecycle {
    # An existing psoxy deployment's caller role keeps its name (Worklytics holds its ARN).
    ignore_changes = [name]
  }
}

data "aws_iam_policy_document" "caller_access" {
  statement {
    sid       = "InvokeApiConnectors"
    actions   = ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"]
    resources = [aws_lambda_function.instance.arn]
  }
  # The analytics client collects the sanitized bulk files (psoxy grants this in the same policy).
  dynamic "statement" {
    for_each = local.bulk_enabled ? [1] : []
    content {
      sid       = "ReadOutputBuckets"
      actions   = ["s3:GetObject", "s3:ListBucket"]
      resources = [aws_s3_bucket.bulk_sanitized[0].arn, "${aws_s3_bucket.bulk_sanitized[0].arn}/*"]
    }
  }
}

resource "aws_iam_policy" "psoxy_caller_access" {
  name   = "${local.deployment_id}CallerAccess"
  policy = data.aws_iam_policy_document.caller_access.json
}

resource "aws_iam_role_policy_attachment" "psoxy_caller_access" {
  role       = aws_iam_role.api_caller.name
  policy_arn = aws_iam_policy.psoxy_caller_access.arn
}

# Custom rules (psoxy's custom_api_connector_rules): the RULES parameter the runtime reads before the
# built-in rules; over SSM's 8 KB limit for plain text, gzipped and base64-encoded as psoxy does.
locals {
  custom_rules = try(file(var.custom_api_connector_rules["zoom"]), null)
}

resource "aws_ssm_parameter" "rules" {
  count       = local.custom_rules == null ? 0 : 1
  name        = "${local.instance_prefix}RULES"
  type        = "String"
  tier        = length(local.custom_rules) > 4096 ? "Advanced" : "Standard"
  value       = length(local.custom_rules) > 8192 ? base64gzip(local.custom_rules) : local.custom_rules
  description = "Rules for psoxy-zoom (replace the built-in Zoom rules)"
}
