# terraform plan -var-file=environments/staging.tfvars
# Identifiers only: no secret belongs in a tfvars file (the tests check it).
environment             = "staging"
region                  = "ap-northeast-2"
recovery_window_in_days = 7

admin_role_arn    = "arn:aws:iam::111122223333:role/estate-admin"
oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/STAGINGCLUSTERID"
oidc_provider_url = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/STAGINGCLUSTERID"

cloudtrail_log_group_name = "aws-cloudtrail-logs-estate"
alarm_topic_arn           = "arn:aws:sns:ap-northeast-2:111122223333:estate-staging-alarms"

vpc_subnet_ids              = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
database_security_group_ids = ["sg-0aaaaaaaaaaaaaaa1"]
rotator_security_group_ids  = ["sg-0aaaaaaaaaaaaaaa2"]
database_instance_class     = "db.t4g.small"
database_allocated_storage  = 20
