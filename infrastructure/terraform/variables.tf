variable "region" {
  description = "Primary region of the secrets, parameters and roles."
  type        = string
  default     = "ap-northeast-2"
}

variable "environment" {
  description = "Catalog environment: secrets are estate/{environment}/{group}, parameters /estate/{environment}/..."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production (dev runs on the local endpoint, not in AWS)."
  }
}

variable "admin_role_arn" {
  description = "The only principal allowed to delete a secret, change its resource policy, or administer the KMS key."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the EKS cluster's IAM OIDC provider (aws_iam_openid_connect_provider)."
  type        = string
}

variable "oidc_provider_url" {
  description = "Issuer URL of the EKS cluster's OIDC provider, e.g. https://oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE."
  type        = string
}

variable "k8s_namespace" {
  description = "Kubernetes namespace of the service accounts (k8s/base/namespace.yaml)."
  type        = string
  default     = "estate"
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret stays restorable (7 to 30)."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30
    error_message = "recovery_window_in_days must be between 7 and 30: 0 (force delete) is not allowed here."
  }
}

variable "replica_region" {
  description = "Region to replicate every secret to (disaster recovery); null for none."
  type        = string
  default     = null
}

variable "replica_kms_key_arn" {
  description = "Customer-managed KMS key in the replica region; null uses aws/secretsmanager there."
  type        = string
  default     = null
}

variable "cloudtrail_log_group_name" {
  description = "CloudWatch Logs group the account's CloudTrail trail delivers to (for the AccessDenied and RotationFailed filters)."
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic the alarms notify; null leaves the alarms without actions."
  type        = string
  default     = null
}

variable "rotator_dist_dir" {
  description = "Build output of apps/secrets-rotator (pnpm --filter @estate/secrets-rotator... build), zipped into the rotation Lambda."
  type        = string
  default     = "../../apps/secrets-rotator/dist"
}

variable "vpc_subnet_ids" {
  description = "Private subnets of the database and the rotation Lambda."
  type        = list(string)
}

variable "database_security_group_ids" {
  description = "Security groups of the database instance."
  type        = list(string)
}

variable "rotator_security_group_ids" {
  description = "Security groups of the rotation Lambda (allowed to reach PostgreSQL and the Secrets Manager endpoint)."
  type        = list(string)
}

variable "database_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "database_allocated_storage" {
  description = "RDS storage in GiB."
  type        = number
  default     = 50
}

variable "database_multi_az" {
  description = "Standby in a second availability zone."
  type        = bool
  default     = false
}

variable "database_engine_version" {
  description = "PostgreSQL major.minor."
  type        = string
  default     = "16.4"
}
