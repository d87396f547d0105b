# terraform plan -var-file=environments/production.tfvars
# Identifiers only: no secret belongs in a tfvars file (the tests check it).
environment             = "production"
region                  = "ap-northeast-2"
recovery_window_in_days = 30

# Disaster recovery copy of every secret, encrypted with a key in that region.
replica_region      = "ap-northeast-1"
replica_kms_key_arn = "arn:aws:kms:ap-northeast-1:444455556666:alias/estate-production-secrets-replica"

admin_role_arn    = "arn:aws:iam::444455556666:role/estate-admin"
oidc_provider_arn = "arn:aws:iam::444455556666:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/PRODUCTIONCLUSTERID"
oidc_provider_url = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/PRODUCTIONCLUSTERID"

cloudtrail_log_group_name = "aws-cloudtrail-logs-estate"
alarm_topic_arn           = "arn:aws:sns:ap-northeast-2:444455556666:estate-production-alarms"

vpc_subnet_ids              = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0bbbbbbbbbbbbbbb3"]
database_security_group_ids = ["sg-0bbbbbbbbbbbbbbb1"]
rotator_security_group_ids  = ["sg-0bbbbbbbbbbbbbbb2"]
database_instance_class     = "db.r7g.large"
database_allocated_storage  = 100
database_multi_az           = true
