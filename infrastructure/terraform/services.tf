# Terraform cannot import the TypeScript manifests (apps/*/src/secrets.ts), so this file restates
# what each service reads (and manages). infrastructure/test/terraform-iam.test.ts compares these maps with the
# manifests and with `iamPolicyFor` from @estate/secrets/policy: a group added to a manifest and
# not here fails the test suite with the service and the group in the message.

locals {
  # The catalog (packages/secrets/src/catalog/catalog.ts): one secret per group.
  secret_groups = ["database", "redis", "rabbitmq", "jwt", "ses", "segment", "openai", "kreb", "molit"]

  # Groups each service's manifest declares (optional ones included: the service reads them when present).
  service_secrets = {
    backend     = ["database", "redis", "rabbitmq", "jwt", "ses", "segment"]
    "ai-worker" = ["database", "redis", "openai"]
    etl         = ["database", "rabbitmq", "kreb", "molit"]
  }

  # Parameters below /estate/{env}/ each service's manifest declares.
  service_parameters = {
    backend     = ["config/log_level", "config/allowed_origins"]
    "ai-worker" = ["config/log_level", "config/openai_model", "config/worker_concurrency", "config/openai_calls_per_minute"]
    etl         = ["config/log_level", "config/etl_regions", "config/etl_kreb_tables", "config/etl_lookback_months"]
  }

  # Runtime-managed prefixes below estate/{env}/ each service's manifest declares (runtimeSecrets):
  # the service creates, writes, reads, tags and deletes secrets under estate/{env}/{prefix}/
  # (RuntimeSecretStore), e.g. backend's per-organization credentials estate/{env}/orgs/{orgId}/{tool}.
  service_runtime_prefixes = {
    backend     = ["orgs"]
    "ai-worker" = []
    etl         = []
  }

  # Kubernetes service account of each service (k8s/base/*/serviceaccount.yaml).
  service_accounts = {
    backend     = "backend"
    "ai-worker" = "ai-worker"
    etl         = "etl"
  }

  # Rotation schedules in days; the groups are the catalog entries with a `rotation` strategy.
  rotation_days = {
    database = 30
    jwt      = 180
  }
}
