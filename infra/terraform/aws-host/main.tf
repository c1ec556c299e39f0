# The Zoom proxy on AWS, laid out as psoxy's aws-host module lays it out: the same SSM parameter
# names, function, role and log group names, and the same IAM shape, so the runtime reads what an
# existing psoxy deployment already holds. `moved.tf` maps psoxy's resource addresses onto these.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  deployment_id   = replace(var.environment_name, " ", "-")
  function_name   = "${replace(local.deployment_id, "_", "-")}-zoom"
  ssm_root        = var.aws_ssm_param_root_path != "" && strcontains(var.aws_ssm_param_root_path, "/") && !startswith(var.aws_ssm_param_root_path, "/") ? "/${var.aws_ssm_param_root_path}" : var.aws_ssm_param_root_path
  instance_prefix = "${local.ssm_root}${upper(replace(local.deployment_id, "-", "_"))}_ZOOM_"
  shared_prefix   = local.ssm_root
  # Where the runtime finds the shared salt and key: the SSM root, or the Secrets Manager path.
  shared_config = var.secrets_store_implementation == "aws_secrets_manager" ? var.aws_secrets_manager_path : local.ssm_root
  ssm_arn         = "arn:aws:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter"
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
  key_id      = coalesce(var.aws_ssm_key_id, "alias/aws/ssm")
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
  key_id      = coalesce(var.aws_ssm_key_id, "alias/aws/ssm")
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
  description = "Zoom ${each.key} for psoxy-zoom"
}

resource "aws_cloudwatch_log_group" "lambda_log" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
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

# What the runtime calls, and nothing else: read its namespace (batched), write the shared token
# and its lock there, read the shared salt and key by name.
data "aws_iam_policy_document" "required_resource_access" {
  statement {
    sid       = "ReadInstanceSSMParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory", "ssm:GetParametersByPath", "ssm:PutParameter", "ssm:DeleteParameter"]
    resources = ["${local.ssm_arn_path}${local.instance_prefix}*"]
  }
  statement {
    sid       = "ReadSharedSSMParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["${local.ssm_arn_path}${local.shared_prefix}PSOXY_SALT", "${local.ssm_arn_path}${local.shared_prefix}PSOXY_ENCRYPTION_KEY"]
  }
  dynamic "statement" {
    for_each = var.aws_ssm_key_id == null ? [] : [var.aws_ssm_key_id]
    content {
      sid       = "AllowKMSUse"
      actions   = ["kms:Decrypt", "kms:Encrypt"]
      resources = [statement.value]
    }
  }
}

# Secrets Manager mode: its own namespace (reads, the token's writes), the shared salt and key.
data "aws_iam_policy_document" "secrets_manager_access" {
  count                   = local.use_secrets_manager ? 1 : 0
  source_policy_documents = [data.aws_iam_policy_document.required_resource_access.json]
  statement {
    sid       = "ReadWriteInstanceSecretsManagerSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds", "secretsmanager:PutSecretValue"]
    resources = ["${local.secret_arn}:${local.instance_prefix}*"]
  }
  statement {
    sid       = "ReadSharedSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["${local.secret_arn}:${var.aws_secrets_manager_path}PSOXY_SALT-??????", "${local.secret_arn}:${var.aws_secrets_manager_path}PSOXY_ENCRYPTION_KEY-??????"]
  }
}

resource "aws_iam_policy" "required_resource_access" {
  name   = "${local.function_name}_resourceAccess"
  policy = local.use_secrets_manager ? data.aws_iam_policy_document.secrets_manager_access[0].json : data.aws_iam_policy_document.required_resource_access.json
}

resource "aws_iam_role_policy_attachment" "attach_policy" {
  role       = aws_iam_role.iam_for_lambda.name
  policy_arn = aws_iam_policy.required_resource_access.arn
}

resource "aws_lambda_function" "instance" {
  function_name    = local.function_name
  role             = aws_iam_role.iam_for_lambda.arn
  runtime          = "nodejs22.x"
  architectures    = ["arm64"]
  handler          = "index.handler"
  filename         = var.deployment_bundle
  source_code_hash = filebase64sha256(var.deployment_bundle)
  memory_size      = var.memory_size_mb
  timeout          = 55
  environment {
    variables = merge({
      SOURCE                          = "zoom"
      TARGET_HOST                     = "api.zoom.us"
      SOURCE_AUTH_STRATEGY_IDENTIFIER = "oauth2_refresh_token"
      GRANT_TYPE                      = "account_credentials"
      REFRESH_ENDPOINT                = "https://zoom.us/oauth/token"
      USE_SHARED_TOKEN                = "TRUE"
      OAUTH_SCOPES                    = ""
      REQUEST_TIMEOUT_SECONDS         = "50"
      PSEUDONYMIZE_APP_IDS            = tostring(var.pseudonymize_app_ids)
      EMAIL_CANONICALIZATION          = var.email_canonicalization
      IS_DEVELOPMENT_MODE             = "false"
      SECRETS_STORE                   = upper(var.secrets_store_implementation)
      PATH_TO_INSTANCE_CONFIG         = local.instance_prefix
      }, local.shared_config == "" ? {} : { PATH_TO_SHARED_CONFIG = local.shared_config },
      length(var.allowed_data_access_ip_blocks) == 0 ? {} : { ALLOWED_DATA_ACCESS_IP_BLOCKS = join(",", var.allowed_data_access_ip_blocks) },
    )
  }
  depends_on = [aws_cloudwatch_log_group.lambda_log, aws_iam_role_policy_attachment.attach_policy]
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
