# Alarms: a rotation that fails (the Lambda errors, or Secrets Manager records RotationFailed) and
# any AccessDenied on Secrets Manager (a service reading outside its manifest, or a probe).
# The two CloudTrail filters read the trail's log group (var.cloudtrail_log_group_name).

locals {
  alarm_actions = var.alarm_topic_arn == null ? [] : [var.alarm_topic_arn]
  metric_ns     = "Estate/Secrets"
}

resource "aws_cloudwatch_metric_alarm" "rotator_errors" {
  alarm_name          = "estate-${var.environment}-secrets-rotator-errors"
  alarm_description   = "The secrets rotation Lambda failed; the secret stays on AWSCURRENT with an AWSPENDING version. See its logs."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.rotator.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_log_metric_filter" "rotation_failed" {
  name           = "estate-${var.environment}-secrets-rotation-failed"
  log_group_name = var.cloudtrail_log_group_name
  pattern        = "{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"RotationFailed\") }"

  metric_transformation {
    name          = "RotationFailed-${var.environment}"
    namespace     = local.metric_ns
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_metric_alarm" "rotation_failed" {
  alarm_name          = "estate-${var.environment}-secrets-rotation-failed"
  alarm_description   = "Secrets Manager reported RotationFailed for a secret (CloudTrail)."
  namespace           = local.metric_ns
  metric_name         = aws_cloudwatch_log_metric_filter.rotation_failed.metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_log_metric_filter" "access_denied" {
  name           = "estate-${var.environment}-secrets-access-denied"
  log_group_name = var.cloudtrail_log_group_name
  pattern        = "{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.errorCode = \"AccessDenied*\") }"

  metric_transformation {
    name          = "AccessDenied-${var.environment}"
    namespace     = local.metric_ns
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_metric_alarm" "access_denied" {
  alarm_name          = "estate-${var.environment}-secrets-access-denied"
  alarm_description   = "A principal was denied a Secrets Manager call (CloudTrail errorCode AccessDenied*)."
  namespace           = local.metric_ns
  metric_name         = aws_cloudwatch_log_metric_filter.access_denied.metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}
