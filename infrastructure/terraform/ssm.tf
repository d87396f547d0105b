# Non-secret configuration, one parameter per manifest parameter, created with the manifests'
# defaults. Operators change values afterwards (console, `aws ssm put-parameter`): Terraform ignores
# value drift so an apply never resets a tuned setting.

locals {
  parameters = {
    "config/log_level"               = { type = "String", value = "info" }
    "config/allowed_origins"         = { type = "StringList", value = "http://localhost:5173" }
    "config/openai_model"            = { type = "String", value = "gpt-4o-mini" }
    "config/worker_concurrency"      = { type = "String", value = "4" }
    "config/openai_calls_per_minute" = { type = "String", value = "60" }
    "config/etl_regions"             = { type = "StringList", value = "11680,11650,11710" }
    "config/etl_kreb_tables"         = { type = "StringList", value = "A_2024_00045" }
    "config/etl_lookback_months"     = { type = "String", value = "3" }
  }
}

resource "aws_ssm_parameter" "config" {
  for_each = local.parameters

  name        = "/estate/${var.environment}/${each.key}"
  description = "estate ${var.environment} ${each.key} (non-secret; default from the service manifests)"
  type        = each.value.type
  value       = each.value.value
  tier        = "Standard"

  lifecycle {
    ignore_changes = [value]
  }
}
