output "caller_role_arn" {
  value       = aws_iam_role.api_caller.arn
  description = "AWS Psoxy Role ARN (give it to the analytics client)"
}

output "caller_role_name" {
  value       = aws_iam_role.api_caller.name
  description = "Name of the caller role (psoxy's output)"
}

output "api_connector_instances" {
  value = { for id, f in aws_lambda_function.instance : id => {
    endpoint_url      = aws_lambda_function_url.lambda_url[id].function_url
    function_name     = f.function_name
    function_arn      = f.arn
    instance_role_arn = aws_iam_role.iam_for_lambda[id].arn
  } }
  description = "Per connector: Psoxy Base URL, function name and ARN (psoxy's output shape)"
}

output "bulk_connector_instances" {
  value = { for id, f in aws_lambda_function.bulk : id => {
    input_bucket          = aws_s3_bucket.bulk_input[id].bucket
    sanitized_bucket      = aws_s3_bucket.bulk_sanitized[id].bucket
    sanitized_bucket_name = aws_s3_bucket.bulk_sanitized[id].bucket
    function_name         = f.function_name
    function_arn          = f.arn
    instance_role_arn     = aws_iam_role.bulk[id].arn
  } }
  description = "Per bulk connector: where to upload, where the sanitized files appear (psoxy's output shape)"
}

locals {
  # Per connector: fill what the admin fills (docs/connectors/<id>.md says where each value comes
  # from), then check. Zoom's test call is the one psoxy's todo makes. Per bulk connector: upload a
  # file under a key its rules match (docs/connectors/<id>.md says what file), then read its
  # sanitized copy.
  todos = concat(flatten([for id, c in local.connectors : concat(length(c.secrets) == 0 ? [] : [
    "Fill the ${c.name} values: ${join(" && ", [for k in c.secrets : local.connector_values["${id}_${k}"].in_secrets_manager ? "aws secretsmanager put-secret-value --secret-id ${c.prefix}${k} --secret-string '<${c.name} ${k}>'" : "aws ssm put-parameter --overwrite --type SecureString --name ${c.prefix}${k} --value '<${c.name} ${k}>'"])}",
    ], [
    "Check ${c.name}: npm run -s psoxy -- call ${aws_lambda_function_url.lambda_url[id].function_url} --health --role-arn ${aws_iam_role.api_caller.arn}",
    ], id != "zoom" ? [] : [
    "A test call: npm run -s psoxy -- call ${aws_lambda_function_url.lambda_url[id].function_url}v2/users?page_size=5 --role-arn ${aws_iam_role.api_caller.arn}",
    ], !var.enable_remote_resources ? [] : [
    "Custom ${c.name} rules (optional): aws s3 cp rules.yaml s3://${var.artifacts_bucket_name}/${local.resource_paths[id]}rules.yaml; they apply when no RULES parameter is set",
  ])]), flatten([for id, b in local.bulk : [
    "${try(local.bulk_catalogue[b.source].name, id)}: aws s3 cp <file> s3://${aws_s3_bucket.bulk_input[id].bucket}/${try(local.bulk_catalogue[b.source].example_object, "<key>")}",
    "Check the sanitized copy (gzip): aws s3 cp s3://${aws_s3_bucket.bulk_sanitized[id].bucket}/${try(local.bulk_catalogue[b.source].example_object, "<key>")} - | gunzip | head",
  ]]))
}

output "todos" {
  value       = [for i, t in local.todos : "${i + 1}. ${t}"]
  description = "What to do next, in order"
}

output "next_todo_step" {
  value       = length(local.todos) + 1
  description = "Number of the next step after these todos (psoxy's output, read by its example root)"
}
