# One IAM role per service, assumed only by that service's Kubernetes service account (IRSA).
# Its policy is the one `estate-secrets policy --service <name>` derives from the manifest
# (same statement ids and actions), with exact ARNs instead of name patterns: exactly the
# service's secrets and parameters, no wildcard over estate/*, nothing on the node group. A service
# with runtime-managed prefixes (services.tf) also manages secrets under estate/<env>/<prefix>/ only.

locals {
  oidc_issuer = trimprefix(var.oidc_provider_url, "https://")

  # Every runtime-managed secret ARN pattern of this environment (the KMS key policy binds data key
  # generation to them).
  runtime_secret_arns = flatten([
    for service, prefixes in local.service_runtime_prefixes : [
      for prefix in prefixes : "arn:${data.aws_partition.current.partition}:secretsmanager:${var.region}:${data.aws_caller_identity.current.account_id}:secret:estate/${var.environment}/${prefix}/*"
    ]
  ])
}

data "aws_iam_policy_document" "service_trust" {
  for_each = local.service_accounts

  statement {
    sid     = "ServiceAccountWebIdentity"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.k8s_namespace}:${each.value}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "service" {
  for_each = local.service_accounts

  name                 = "estate-${var.environment}-${each.key}"
  description          = "estate ${var.environment} ${each.key}: reads its declared secrets and parameters"
  assume_role_policy   = data.aws_iam_policy_document.service_trust[each.key].json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "service_secrets" {
  for_each = local.service_secrets

  statement {
    sid       = "ReadDeclaredSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [for group in local.service_secrets[each.key] : aws_secretsmanager_secret.this[group].arn]
  }

  # BatchGetSecretValue has no resource type, so it can only be granted on "*". It grants no secret
  # by itself: AWS also checks GetSecretValue on every secret in the batch (the statement above).
  statement {
    sid       = "BatchReadSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:BatchGetSecretValue"]
    resources = ["*"]
  }

  # GetParametersByPath is left out: it is authorized on the path, not on the parameters it returns.
  statement {
    sid       = "ReadDeclaredParameters"
    effect    = "Allow"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = [for path in local.service_parameters[each.key] : aws_ssm_parameter.config[path].arn]
  }

  # Runtime-managed secrets (RuntimeSecretStore): exactly the calls the store makes, on the
  # service's declared prefixes only, never estate/* or estate/<env>/*. CreateSecret with tags also
  # needs TagResource.
  dynamic "statement" {
    for_each = length(local.service_runtime_prefixes[each.key]) > 0 ? ["runtime"] : []
    content {
      sid    = "ManageRuntimeSecrets"
      effect = "Allow"
      actions = [
        "secretsmanager:CreateSecret", "secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret", "secretsmanager:DeleteSecret", "secretsmanager:TagResource",
      ]
      resources = [for prefix in local.service_runtime_prefixes[each.key] : "arn:${data.aws_partition.current.partition}:secretsmanager:${var.region}:${data.aws_caller_identity.current.account_id}:secret:estate/${var.environment}/${prefix}/*"]
    }
  }

  # Listing an organization's integrations needs ListSecrets, which has no resource type: "*" is the
  # only possible resource. It reveals the names and metadata (tags, dates, descriptions) of every
  # secret in the account and region, never a value (values need GetSecretValue on a granted ARN).
  dynamic "statement" {
    for_each = length(local.service_runtime_prefixes[each.key]) > 0 ? ["runtime"] : []
    content {
      sid       = "ListRuntimeSecrets"
      effect    = "Allow"
      actions   = ["secretsmanager:ListSecrets"]
      resources = ["*"]
    }
  }

  # Every new value gets a fresh data key; Secrets Manager passes the secret's ARN as encryption
  # context, so the role may only encrypt secrets under its prefixes, and only through Secrets Manager.
  dynamic "statement" {
    for_each = length(local.service_runtime_prefixes[each.key]) > 0 ? ["runtime"] : []
    content {
      sid       = "EncryptRuntimeSecretsThroughSecretsManager"
      effect    = "Allow"
      actions   = ["kms:GenerateDataKey"]
      resources = [aws_kms_key.secrets.arn]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${var.region}.amazonaws.com"]
      }
      condition {
        test     = "StringLike"
        variable = "kms:EncryptionContext:SecretARN"
        values   = [for prefix in local.service_runtime_prefixes[each.key] : "arn:${data.aws_partition.current.partition}:secretsmanager:${var.region}:${data.aws_caller_identity.current.account_id}:secret:estate/${var.environment}/${prefix}/*"]
      }
    }
  }

  statement {
    sid       = "DecryptThroughSecretsServices"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.secrets.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "service_secrets" {
  for_each = local.service_secrets

  name   = "estate-${var.environment}-${each.key}-secrets"
  role   = aws_iam_role.service[each.key].id
  policy = data.aws_iam_policy_document.service_secrets[each.key].json
}
