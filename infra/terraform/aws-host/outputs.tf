output "caller_role_arn" {
  value       = aws_iam_role.api_caller.arn
  description = "AWS Psoxy Role ARN (give it to the analytics client)"
}

output "api_connector_instances" {
  value = {
    zoom = {
      endpoint_url  = aws_lambda_function_url.lambda_url[0].function_url
      function_name = aws_lambda_function.instance.function_name
      function_arn  = aws_lambda_function.instance.arn
    }
  }
  description = "Per connector: Psoxy Base URL, function name and ARN (psoxy's output shape)"
}

output "todos" {
  value = [
    "1. Fill the Zoom app's values: ${join(" && ", [for k in ["ACCOUNT_ID", "CLIENT_ID", "CLIENT_SECRET"] : "aws ssm put-parameter --overwrite --type SecureString --name ${local.instance_prefix}${k} --value '<Zoom ${k}>'"])}",
    "2. Check: npm run -s psoxy -- call ${aws_lambda_function_url.lambda_url[0].function_url} --health --role-arn ${aws_iam_role.api_caller.arn}",
    "3. A test call: npm run -s psoxy -- call ${aws_lambda_function_url.lambda_url[0].function_url}v2/users?page_size=5 --role-arn ${aws_iam_role.api_caller.arn}",
  ]
  description = "What to do next, in order"
}
