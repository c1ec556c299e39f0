# Switching from psoxy: a root module whose `module "psoxy"` called psoxy's aws-host points its
# `source` here; these blocks carry psoxy's state (salt, key, Zoom values, token, function URL,
# caller role) to this module's addresses, so `terraform plan` replaces no secret value and keeps
# the URL and the role ARN the analytics client holds. Addresses are psoxy's (environment psoxy,
# connector key "zoom", SSM store).
#
# Zoom's psoxy addresses move to this module's previous single-connector addresses, which then
# move to the for_each keys (end of file): a chain, because a destination may have only one `moved`
# source and both psoxy's and the previous release's state must land on ["zoom"]. Every other
# connector's moves are generated into moved-connectors.tf.

moved {
  from = module.psoxy.random_password.pseudonym_salt
  to   = random_password.pseudonym_salt
}

moved {
  from = module.psoxy.random_password.encryption_key
  to   = random_password.encryption_key
}

moved {
  from = module.global_secrets_ssm[0].aws_ssm_parameter.secret["PSOXY_SALT"]
  to   = aws_ssm_parameter.shared["PSOXY_SALT"]
}

moved {
  from = module.global_secrets_ssm[0].aws_ssm_parameter.secret["PSOXY_ENCRYPTION_KEY"]
  to   = aws_ssm_parameter.shared["PSOXY_ENCRYPTION_KEY"]
}

moved {
  from = module.instance_ssm_parameters["zoom"].aws_ssm_parameter.secret_with_externally_managed_value
  to   = aws_ssm_parameter.zoom
}

moved {
  from = module.api_connector["zoom"].module.psoxy_lambda.aws_lambda_function.instance
  to   = aws_lambda_function.instance
}

moved {
  from = module.api_connector["zoom"].module.psoxy_lambda.aws_cloudwatch_log_group.lambda_log
  to   = aws_cloudwatch_log_group.lambda_log
}

moved {
  from = module.api_connector["zoom"].module.psoxy_lambda.aws_iam_role.iam_for_lambda
  to   = aws_iam_role.iam_for_lambda
}

moved {
  from = module.api_connector["zoom"].aws_lambda_function_url.lambda_url
  to   = aws_lambda_function_url.lambda_url
}

moved {
  from = module.psoxy.aws_iam_role.api-caller
  to   = aws_iam_role.api_caller
}

# IAM names are unique per account: the policies and attachments move too, rather than being created
# again beside psoxy's.
moved {
  from = module.api_connector["zoom"].module.psoxy_lambda.aws_iam_policy.required_resource_access
  to   = aws_iam_policy.required_resource_access
}

moved {
  from = module.api_connector["zoom"].module.psoxy_lambda.aws_iam_role_policy_attachment.attach_policy
  to   = aws_iam_role_policy_attachment.attach_policy
}

moved {
  from = module.api_connector["zoom"].module.psoxy_lambda.aws_iam_role_policy_attachment.basic
  to   = aws_iam_role_policy_attachment.basic
}

moved {
  from = aws_iam_policy.psoxy_caller_access[0]
  to   = aws_iam_policy.psoxy_caller_access
}

moved {
  from = aws_iam_role_policy_attachment.psoxy_caller_access[0]
  to   = aws_iam_role_policy_attachment.psoxy_caller_access
}

moved {
  from = module.custom_api_connector_rules["zoom"].aws_ssm_parameter.rules
  to   = aws_ssm_parameter.rules[0]
}

# Secrets Manager mode (psoxy's addresses).
moved {
  from = module.global_secrets_secrets_manager[0].aws_secretsmanager_secret.secret
  to   = aws_secretsmanager_secret.shared
}

moved {
  from = module.global_secrets_secrets_manager[0].aws_secretsmanager_secret_version.terraform_managed
  to   = aws_secretsmanager_secret_version.shared
}

moved {
  from = module.instance_secrets_secrets_manager["zoom"].aws_secretsmanager_secret.secret
  to   = aws_secretsmanager_secret.zoom
}

# Zoom AI Metrics bulk (psoxy's aws-proxy-bulk under module.bulk_connector["zoom-ai-metrics"]): the
# buckets keep their names and contents, the function, role and policies theirs.
moved {
  from = module.bulk_connector["zoom-ai-metrics"].random_string.bucket_suffix
  to   = random_string.bulk_bucket_suffix[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_s3_bucket.input
  to   = aws_s3_bucket.bulk_input[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_s3_bucket.sanitized
  to   = aws_s3_bucket.bulk_sanitized[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_s3_bucket_public_access_block.input-block-public-access
  to   = aws_s3_bucket_public_access_block.bulk_input
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_s3_bucket_public_access_block.sanitized
  to   = aws_s3_bucket_public_access_block.bulk_sanitized
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_s3_bucket_lifecycle_configuration.expire_input_files
  to   = aws_s3_bucket_lifecycle_configuration.bulk_input[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_s3_bucket_lifecycle_configuration.expire_sanitized_files
  to   = aws_s3_bucket_lifecycle_configuration.bulk_sanitized[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_ssm_parameter.rules
  to   = aws_ssm_parameter.bulk_rules[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_lambda_permission.allow_input_bucket
  to   = aws_lambda_permission.bulk_input[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_s3_bucket_notification.bucket_notification
  to   = aws_s3_bucket_notification.bulk_input[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_iam_policy.input_bucket_getObject_policy
  to   = aws_iam_policy.bulk_input_read[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_iam_role_policy_attachment.read_policy_for_import_bucket
  to   = aws_iam_role_policy_attachment.bulk_input_read[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_iam_policy.sanitized_bucket_write_policy
  to   = aws_iam_policy.bulk_output_write[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].aws_iam_role_policy_attachment.write_policy_for_sanitized_bucket
  to   = aws_iam_role_policy_attachment.bulk_output_write[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].module.psoxy_lambda.aws_lambda_function.instance
  to   = aws_lambda_function.bulk[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].module.psoxy_lambda.aws_cloudwatch_log_group.lambda_log
  to   = aws_cloudwatch_log_group.bulk[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].module.psoxy_lambda.aws_iam_role.iam_for_lambda
  to   = aws_iam_role.bulk[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].module.psoxy_lambda.aws_iam_policy.required_resource_access
  to   = aws_iam_policy.bulk_resource_access[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].module.psoxy_lambda.aws_iam_role_policy_attachment.attach_policy
  to   = aws_iam_role_policy_attachment.bulk_resource_access[0]
}

moved {
  from = module.bulk_connector["zoom-ai-metrics"].module.psoxy_lambda.aws_iam_role_policy_attachment.basic
  to   = aws_iam_role_policy_attachment.bulk_basic[0]
}

# This module's previous single-connector (Zoom) addresses → the for_each keys.
moved {
  from = aws_ssm_parameter.zoom["CLIENT_SECRET"]
  to   = aws_ssm_parameter.connector["zoom_CLIENT_SECRET"]
}

moved {
  from = aws_ssm_parameter.zoom["CLIENT_ID"]
  to   = aws_ssm_parameter.connector["zoom_CLIENT_ID"]
}

moved {
  from = aws_ssm_parameter.zoom["ACCOUNT_ID"]
  to   = aws_ssm_parameter.connector["zoom_ACCOUNT_ID"]
}

moved {
  from = aws_ssm_parameter.zoom["ACCESS_TOKEN"]
  to   = aws_ssm_parameter.connector["zoom_ACCESS_TOKEN"]
}

moved {
  from = aws_ssm_parameter.zoom["OAUTH_REFRESH_TOKEN"]
  to   = aws_ssm_parameter.connector["zoom_OAUTH_REFRESH_TOKEN"]
}

moved {
  from = aws_secretsmanager_secret.zoom["CLIENT_SECRET"]
  to   = aws_secretsmanager_secret.connector["zoom_CLIENT_SECRET"]
}

moved {
  from = aws_secretsmanager_secret.zoom["ACCESS_TOKEN"]
  to   = aws_secretsmanager_secret.connector["zoom_ACCESS_TOKEN"]
}

moved {
  from = aws_lambda_function.instance
  to   = aws_lambda_function.instance["zoom"]
}

moved {
  from = aws_cloudwatch_log_group.lambda_log
  to   = aws_cloudwatch_log_group.lambda_log["zoom"]
}

moved {
  from = aws_iam_role.iam_for_lambda
  to   = aws_iam_role.iam_for_lambda["zoom"]
}

moved {
  from = aws_iam_policy.required_resource_access
  to   = aws_iam_policy.required_resource_access["zoom"]
}

moved {
  from = aws_iam_role_policy_attachment.attach_policy
  to   = aws_iam_role_policy_attachment.attach_policy["zoom"]
}

moved {
  from = aws_iam_role_policy_attachment.basic
  to   = aws_iam_role_policy_attachment.basic["zoom"]
}

moved {
  from = aws_lambda_function_url.lambda_url[0]
  to   = aws_lambda_function_url.lambda_url["zoom"]
}

moved {
  from = aws_ssm_parameter.rules[0]
  to   = aws_ssm_parameter.rules["zoom"]
}

# This module's previous Zoom AI Metrics addresses (count) → the bulk for_each keys.

moved {
  from = random_string.bulk_bucket_suffix[0]
  to   = random_string.bulk_bucket_suffix["zoom-ai-metrics"]
}

moved {
  from = aws_s3_bucket.bulk_input[0]
  to   = aws_s3_bucket.bulk_input["zoom-ai-metrics"]
}

moved {
  from = aws_s3_bucket.bulk_sanitized[0]
  to   = aws_s3_bucket.bulk_sanitized["zoom-ai-metrics"]
}

moved {
  from = aws_s3_bucket_public_access_block.bulk_input[0]
  to   = aws_s3_bucket_public_access_block.bulk_input["zoom-ai-metrics"]
}

moved {
  from = aws_s3_bucket_public_access_block.bulk_sanitized[0]
  to   = aws_s3_bucket_public_access_block.bulk_sanitized["zoom-ai-metrics"]
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.bulk_input[0]
  to   = aws_s3_bucket_lifecycle_configuration.bulk_input["zoom-ai-metrics"]
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.bulk_sanitized[0]
  to   = aws_s3_bucket_lifecycle_configuration.bulk_sanitized["zoom-ai-metrics"]
}

moved {
  from = aws_ssm_parameter.bulk_rules[0]
  to   = aws_ssm_parameter.bulk_rules["zoom-ai-metrics"]
}

moved {
  from = aws_lambda_permission.bulk_input[0]
  to   = aws_lambda_permission.bulk_input["zoom-ai-metrics"]
}

moved {
  from = aws_s3_bucket_notification.bulk_input[0]
  to   = aws_s3_bucket_notification.bulk_input["zoom-ai-metrics"]
}

moved {
  from = aws_iam_policy.bulk_input_read[0]
  to   = aws_iam_policy.bulk_input_read["zoom-ai-metrics"]
}

moved {
  from = aws_iam_role_policy_attachment.bulk_input_read[0]
  to   = aws_iam_role_policy_attachment.bulk_input_read["zoom-ai-metrics"]
}

moved {
  from = aws_iam_policy.bulk_output_write[0]
  to   = aws_iam_policy.bulk_output_write["zoom-ai-metrics"]
}

moved {
  from = aws_iam_role_policy_attachment.bulk_output_write[0]
  to   = aws_iam_role_policy_attachment.bulk_output_write["zoom-ai-metrics"]
}

moved {
  from = aws_lambda_function.bulk[0]
  to   = aws_lambda_function.bulk["zoom-ai-metrics"]
}

moved {
  from = aws_cloudwatch_log_group.bulk[0]
  to   = aws_cloudwatch_log_group.bulk["zoom-ai-metrics"]
}

moved {
  from = aws_iam_role.bulk[0]
  to   = aws_iam_role.bulk["zoom-ai-metrics"]
}

moved {
  from = aws_iam_policy.bulk_resource_access[0]
  to   = aws_iam_policy.bulk_resource_access["zoom-ai-metrics"]
}

moved {
  from = aws_iam_role_policy_attachment.bulk_resource_access[0]
  to   = aws_iam_role_policy_attachment.bulk_resource_access["zoom-ai-metrics"]
}

moved {
  from = aws_iam_role_policy_attachment.bulk_basic[0]
  to   = aws_iam_role_policy_attachment.bulk_basic["zoom-ai-metrics"]
}
