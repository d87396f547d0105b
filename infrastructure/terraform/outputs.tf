output "service_role_arns" {
  description = "IRSA role per service: the eks.amazonaws.com/role-arn of its ServiceAccount (k8s/overlays/*/service-accounts.yaml)."
  value       = { for service, role in aws_iam_role.service : service => role.arn }
}

output "secret_arns" {
  description = "ARN of each catalog secret."
  value       = { for group, secret in aws_secretsmanager_secret.this : group => secret.arn }
}

output "kms_key_arn" {
  description = "Customer-managed key of the secrets."
  value       = aws_kms_key.secrets.arn
}

output "rotation_lambda_arn" {
  description = "The secrets rotator."
  value       = aws_lambda_function.rotator.arn
}

output "database_address" {
  description = "PostgreSQL endpoint (goes into estate/{env}/database through the rotator)."
  value       = aws_db_instance.this.address
}
