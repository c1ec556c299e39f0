# Zoom AI Metrics bulk (psoxy's custom bulk connector "zoom-ai-metrics"): a CSV dropped in the input
# bucket triggers the bulk function, which writes the sanitized copy to the sanitized bucket. Names
# are psoxy's (psoxy-zoom-ai-metrics, <prefix>-<random>-input / -sanitized); `moved.tf` keeps an
# existing deployment's buckets, whose names Terraform never changes.

locals {
  bulk_id        = "zoom-ai-metrics"
  bulk_enabled   = contains(keys(var.bulk_connectors), local.bulk_id)
  bulk_function  = "${local.function_prefix}-${local.bulk_id}"
  bulk_prefix    = "${local.env_ssm_prefix}ZOOM_AI_METRICS_"
  bulk_connector = local.bulk_enabled ? var.bulk_connectors[local.bulk_id] : null
  # Rules as psoxy takes them: custom_bulk_connector_rules (pseudonymFormat URL_SAFE_TOKEN unless
  # set, psoxy's default there), else the connector's rules, else its rules_file; none → the
  # built-in zoom-ai-metrics rules (SOURCE). Unset rule fields are left out.
  bulk_custom_rules  = try(var.custom_bulk_connector_rules[local.bulk_id], null)
  bulk_rules_objects = [for r in [local.bulk_custom_rules == null ? null : merge(local.bulk_custom_rules, { pseudonymFormat = coalesce(try(local.bulk_custom_rules.pseudonymFormat, null), "URL_SAFE_TOKEN") }), try(local.bulk_connector.rules, null)] : { for k, v in r : k => v if v != null } if r != null]
  bulk_rules         = length(local.bulk_rules_objects) > 0 ? yamlencode(local.bulk_rules_objects[0]) : try(local.bulk_connector.rules_file, null) != null ? file(local.bulk_connector.rules_file) : null
  bulk_memory_mb = coalesce(try(var.custom_bulk_connector_arguments[local.bulk_id].memory_size_mb, null), try(local.bulk_connector.memory_size_mb, null), 1024)
  bulk_bundle    = coalesce(var.bulk_deployment_bundle, "${dirname(var.deployment_bundle)}/aws-bulk-lambda.zip")
}

# Part of both bucket names; never regenerated (a new value would mean new buckets).
resource "random_string" "bulk_bucket_suffix" {
  count   = local.bulk_enabled ? 1 : 0
  length  = 8
  lower   = true
  upper   = false
  special = false
  lifecycle {
    ignore_changes = [length, lower, upper, special, numeric]
  }
}

resource "aws_s3_bucket" "bulk_input" {
  count  = local.bulk_enabled ? 1 : 0
  bucket = "${local.bulk_function}-${random_string.bulk_bucket_suffix[0].id}-input"
  lifecycle {
    ignore_changes = [bucket, tags]
  }
}

resource "aws_s3_bucket" "bulk_sanitized" {
  count  = local.bulk_enabled ? 1 : 0
  bucket = "${local.bulk_function}-${random_string.bulk_bucket_suffix[0].id}-sanitized"
  lifecycle {
    ignore_changes = [bucket, tags]
  }
}

resource "aws_s3_bucket_public_access_block" "bulk_input" {
  count                   = local.bulk_enabled && var.provision_bucket_public_access_block ? 1 : 0
  bucket                  = aws_s3_bucket.bulk_input[0].bucket
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_public_access_block" "bulk_sanitized" {
  count                   = local.bulk_enabled && var.provision_bucket_public_access_block ? 1 : 0
  bucket                  = aws_s3_bucket.bulk_sanitized[0].bucket
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Uploads are kept only long enough to debug; sanitized files as long as the analysis needs them.
resource "aws_s3_bucket_lifecycle_configuration" "bulk_input" {
  count  = local.bulk_enabled ? 1 : 0
  bucket = aws_s3_bucket.bulk_input[0].bucket
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = var.bulk_input_expiration_days
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "bulk_sanitized" {
  count  = local.bulk_enabled ? 1 : 0
  bucket = aws_s3_bucket.bulk_sanitized[0].bucket
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = var.bulk_sanitized_expiration_days
    }
  }
}

# The rules, where the runtime reads RULES for this connector (psoxy's parameter).
resource "aws_ssm_parameter" "bulk_rules" {
  count       = local.bulk_enabled && local.bulk_rules != null ? 1 : 0
  name        = "${local.bulk_prefix}RULES"
  type        = "String"
  tier        = length(local.bulk_rules) > 4096 ? "Advanced" : "Standard"
  value       = local.bulk_rules
  description = "Rules for ${local.bulk_function} (replace the built-in zoom-ai-metrics rules)"
}

resource "aws_cloudwatch_log_group" "bulk" {
  count             = local.bulk_enabled ? 1 : 0
  name              = "/aws/lambda/${local.bulk_function}"
  retention_in_days = var.log_retention_days
  kms_key_id        = local.logs_kms_key
}

resource "aws_iam_role" "bulk" {
  count              = local.bulk_enabled ? 1 : 0
  name               = "${local.bulk_function}_Exec"
  assume_role_policy = data.aws_iam_policy_document.assume_by_lambda.json
}

resource "aws_iam_role_policy_attachment" "bulk_basic" {
  count      = local.bulk_enabled ? 1 : 0
  role       = aws_iam_role.bulk[0].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

# Config as the API function reads it, read-only: its own namespace (RULES, settings), the shared
# salt and key, any customer KMS key, its remote-resource folder.
data "aws_iam_policy_document" "bulk_resource_access" {
  count                   = local.bulk_enabled ? 1 : 0
  source_policy_documents = concat([data.aws_iam_policy_document.shared_config_read.json], [for k, d in data.aws_iam_policy_document.remote_resource_read : d.json if k == local.bulk_id])
  statement {
    sid       = "ReadInstanceSSMParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = ["${local.ssm_arn_path}${local.bulk_prefix}*"]
  }
}

resource "aws_iam_policy" "bulk_resource_access" {
  count  = local.bulk_enabled ? 1 : 0
  name   = "${local.bulk_function}_resourceAccess"
  policy = data.aws_iam_policy_document.bulk_resource_access[0].json
}

resource "aws_iam_role_policy_attachment" "bulk_resource_access" {
  count      = local.bulk_enabled ? 1 : 0
  role       = aws_iam_role.bulk[0].name
  policy_arn = aws_iam_policy.bulk_resource_access[0].arn
}

# Read uploads (GetObject also answers HeadObject); nothing else on the input bucket.
data "aws_iam_policy_document" "bulk_input_read" {
  count = local.bulk_enabled ? 1 : 0
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.bulk_input[0].arn}/*"]
  }
}

resource "aws_iam_policy" "bulk_input_read" {
  count  = local.bulk_enabled ? 1 : 0
  name   = "${local.function_prefix}_BucketGetObject_${aws_s3_bucket.bulk_input[0].id}"
  policy = data.aws_iam_policy_document.bulk_input_read[0].json
}

resource "aws_iam_role_policy_attachment" "bulk_input_read" {
  count      = local.bulk_enabled ? 1 : 0
  role       = aws_iam_role.bulk[0].name
  policy_arn = aws_iam_policy.bulk_input_read[0].arn
}

# Write sanitized files. Large files go up in parts: a failed upload is aborted rather than left
# as parts that are billed (psoxy does not grant the abort).
data "aws_iam_policy_document" "bulk_output_write" {
  count = local.bulk_enabled ? 1 : 0
  statement {
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.bulk_sanitized[0].arn}/*"]
  }
}

resource "aws_iam_policy" "bulk_output_write" {
  count  = local.bulk_enabled ? 1 : 0
  name   = "${local.function_prefix}_BucketWrite_${aws_s3_bucket.bulk_sanitized[0].id}"
  policy = data.aws_iam_policy_document.bulk_output_write[0].json
}

resource "aws_iam_role_policy_attachment" "bulk_output_write" {
  count      = local.bulk_enabled ? 1 : 0
  role       = aws_iam_role.bulk[0].name
  policy_arn = aws_iam_policy.bulk_output_write[0].arn
}

resource "aws_lambda_function" "bulk" {
  count            = local.bulk_enabled ? 1 : 0
  function_name    = local.bulk_function
  role             = aws_iam_role.bulk[0].arn
  runtime          = "nodejs24.x"
  architectures    = ["arm64"]
  handler          = "index.handler"
  filename         = local.bulk_bundle
  source_code_hash = filebase64sha256(local.bulk_bundle)
  memory_size      = local.bulk_memory_mb
  timeout          = 600
  kms_key_arn      = local.env_kms_key
  environment {
    variables = merge(local.common_env, {
      SOURCE                  = local.bulk_id
      OUTPUT_BUCKET           = aws_s3_bucket.bulk_sanitized[0].bucket
      PATH_TO_INSTANCE_CONFIG = local.bulk_prefix
    }, try(local.remote_resource_env[local.bulk_id], {}))
  }
  depends_on = [aws_cloudwatch_log_group.bulk, aws_iam_role_policy_attachment.bulk_resource_access]
}

# Each new object in the input bucket invokes the function (psoxy: every ObjectCreated event, no filter).
resource "aws_lambda_permission" "bulk_input" {
  count         = local.bulk_enabled ? 1 : 0
  statement_id  = "AllowExecutionFromS3Bucket"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.bulk[0].function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.bulk_input[0].arn
}

resource "aws_s3_bucket_notification" "bulk_input" {
  count  = local.bulk_enabled ? 1 : 0
  bucket = aws_s3_bucket.bulk_input[0].id
  lambda_function {
    lambda_function_arn = aws_lambda_function.bulk[0].arn
    events              = ["s3:ObjectCreated:*"]
  }
  depends_on = [aws_lambda_permission.bulk_input]
}
