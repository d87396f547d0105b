# One IAM role per service, assumed only by that service's Kubernetes service account (IRSA).
# Its policy is the one `estate-secrets policy --service <name>` derives from the manifest
# (same statement ids and actions), with exact ARNs instead of name patterns: exactly the
# service's secrets and parameters, no wildcard over estate/*, nothing on the node group.

locals {
  oidc_issuer = trimprefix(var.oidc_provider_url, "https://")
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
