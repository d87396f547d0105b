# The rotation Lambda is apps/secrets-rotator (its four-step handler: createSecret, setSecret,
# testSecret, finishSecret). Build it before `terraform plan`: pnpm --filter @estate/secrets-rotator... build
#
# Strategies come from the catalog: database is a PostgreSQL password (ALTER ROLE estate_app through
# the RDS master secret), jwt a random key. The first rotation runs at apply time
# (rotate_immediately), which is what writes the first value of estate/{env}/database: no password
# is ever typed. Connection settings reach the Lambda as environment variables: they are not secrets.

data "archive_file" "rotator" {
  type        = "zip"
  source_dir  = "${path.module}/${var.rotator_dist_dir}"
  output_path = "${path.module}/.build/secrets-rotator.zip"
}

data "aws_iam_policy_document" "rotator_trust" {
  statement {
    sid     = "LambdaService"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "rotator" {
  name               = "estate-${var.environment}-secrets-rotator"
  assume_role_policy = data.aws_iam_policy_document.rotator_trust.json
}

resource "aws_iam_role_policy_attachment" "rotator_vpc" {
  role       = aws_iam_role.rotator.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

data "aws_iam_policy_document" "rotator" {
  statement {
    sid    = "RotateScheduledSecrets"
    effect = "Allow"
    actions = [
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:UpdateSecretVersionStage",
    ]
    resources = [for group in keys(local.rotation_days) : aws_secretsmanager_secret.this[group].arn]
  }

  statement {
    sid       = "ReadDatabaseMasterSecret"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_db_instance.this.master_user_secret[0].secret_arn]
  }

  statement {
    sid       = "EncryptThroughSecretsManager"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.secrets.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "rotator" {
  name   = "estate-${var.environment}-secrets-rotator"
  role   = aws_iam_role.rotator.id
  policy = data.aws_iam_policy_document.rotator.json
}

resource "aws_cloudwatch_log_group" "rotator" {
  name              = "/aws/lambda/estate-${var.environment}-secrets-rotator"
  retention_in_days = 90
}

resource "aws_lambda_function" "rotator" {
  function_name    = "estate-${var.environment}-secrets-rotator"
  role             = aws_iam_role.rotator.arn
  runtime          = "nodejs24.x"
  handler          = "lambda.handler"
  filename         = data.archive_file.rotator.output_path
  source_code_hash = data.archive_file.rotator.output_base64sha256
  timeout          = 60
  memory_size      = 256

  vpc_config {
    subnet_ids         = var.vpc_subnet_ids
    security_group_ids = var.rotator_security_group_ids
  }

  environment {
    variables = {
      ESTATE_ENV                  = var.environment
      ESTATE_DB_HOST              = aws_db_instance.this.address
      ESTATE_DB_PORT              = tostring(aws_db_instance.this.port)
      ESTATE_DB_NAME              = aws_db_instance.this.db_name
      ESTATE_DB_APP_USER          = "estate_app"
      ESTATE_DB_MASTER_SECRET_ARN = aws_db_instance.this.master_user_secret[0].secret_arn
    }
  }

  depends_on = [aws_cloudwatch_log_group.rotator, aws_iam_role_policy_attachment.rotator_vpc]
}

resource "aws_lambda_permission" "secretsmanager" {
  statement_id   = "SecretsManagerInvokesRotation"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.rotator.function_name
  principal      = "secretsmanager.amazonaws.com"
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_secretsmanager_secret_rotation" "this" {
  for_each = local.rotation_days

  secret_id           = aws_secretsmanager_secret.this[each.key].id
  rotation_lambda_arn = aws_lambda_function.rotator.arn
  rotate_immediately  = true

  rotation_rules {
    automatically_after_days = each.value
  }

  depends_on = [aws_lambda_permission.secretsmanager, aws_db_instance.this]
}
