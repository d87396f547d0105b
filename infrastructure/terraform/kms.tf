# One customer-managed key for every secret of this environment (and the RDS-managed master secret).
# Its policy lets the service roles decrypt only through Secrets Manager (kms:ViaService), so a role
# can read its secrets but cannot decrypt arbitrary ciphertext with the key.

locals {
  secretsmanager_via = "secretsmanager.${var.region}.amazonaws.com"
}

resource "aws_kms_key" "secrets" {
  description             = "estate ${var.environment}: Secrets Manager secrets"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms_key.json
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/estate-${var.environment}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

data "aws_iam_policy_document" "kms_key" {
  # Administration (not use) for the admin role and the account, so the key can never be orphaned.
  statement {
    sid    = "KeyAdministration"
    effect = "Allow"
    actions = [
      "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
      "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListResourceTags", "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias",
      "kms:UpdateKeyDescription", "kms:RotateKeyOnDemand",
    ]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [var.admin_role_arn, "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  # Operators seed and change values (PutSecretValue) and RDS creates its managed master secret.
  statement {
    sid       = "AdminWritesThroughSecretsManager"
    effect    = "Allow"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [var.admin_role_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.secretsmanager_via, "rds.${var.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "ServicesDecryptThroughSecretsManager"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [for service in keys(local.service_accounts) : aws_iam_role.service[service].arn]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.secretsmanager_via]
    }
  }

  # Services with runtime-managed prefixes (services.tf) encrypt new values of those secrets only:
  # Secrets Manager passes the secret's ARN as encryption context.
  dynamic "statement" {
    for_each = length(local.runtime_secret_arns) > 0 ? ["runtime"] : []
    content {
      sid       = "ServicesEncryptRuntimeSecretsThroughSecretsManager"
      effect    = "Allow"
      actions   = ["kms:GenerateDataKey"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [for service, prefixes in local.service_runtime_prefixes : aws_iam_role.service[service].arn if length(prefixes) > 0]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [local.secretsmanager_via]
      }
      condition {
        test     = "StringLike"
        variable = "kms:EncryptionContext:SecretARN"
        values   = local.runtime_secret_arns
      }
    }
  }

  statement {
    sid       = "RotatorWritesThroughSecretsManager"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.rotator.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.secretsmanager_via]
    }
  }
}
