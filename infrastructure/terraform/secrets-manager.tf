# One secret per catalog group, named estate/{env}/{group}. Terraform manages the secrets' metadata
# only: values are written by the rotator (database, jwt), by RDS (the master secret) or by an
# operator with `estate-secrets` / the console. There is no aws_secretsmanager_secret_version here
# on purpose: a value in Terraform would also be a value in the state file.

resource "aws_secretsmanager_secret" "this" {
  for_each = toset(local.secret_groups)

  name                    = "estate/${var.environment}/${each.key}"
  description             = "estate ${var.environment} ${each.key} (one JSON object; schema in @estate/secrets/catalog)"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = var.recovery_window_in_days

  dynamic "replica" {
    for_each = var.replica_region == null ? [] : [var.replica_region]
    content {
      region     = replica.value
      kms_key_id = var.replica_kms_key_arn
    }
  }

  tags = {
    Group = each.key
  }
}

# Deletion and policy changes only by the admin role, whatever identity policies say elsewhere.
data "aws_iam_policy_document" "secret_guard" {
  for_each = toset(local.secret_groups)

  statement {
    sid    = "OnlyAdminMayDeleteOrRepolicy"
    effect = "Deny"
    actions = [
      "secretsmanager:DeleteSecret",
      "secretsmanager:PutResourcePolicy",
      "secretsmanager:DeleteResourcePolicy",
    ]
    resources = [aws_secretsmanager_secret.this[each.key].arn]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [var.admin_role_arn]
    }
  }
}

resource "aws_secretsmanager_secret_policy" "this" {
  for_each = toset(local.secret_groups)

  secret_arn          = aws_secretsmanager_secret.this[each.key].arn
  policy              = data.aws_iam_policy_document.secret_guard[each.key].json
  block_public_policy = true
}
