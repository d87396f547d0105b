# PostgreSQL with an AWS-managed master password: RDS generates it, keeps it in its own secret
# (rds!db-...) encrypted with our key, and rotates it. Nobody types it. The services never use the
# master account: they connect as `estate_app`, whose password lives in estate/{env}/database and is
# generated and rotated by the secrets rotator (rotation.tf), which uses the master secret to ALTER ROLE.

resource "aws_db_subnet_group" "this" {
  name       = "estate-${var.environment}"
  subnet_ids = var.vpc_subnet_ids
}

resource "aws_db_instance" "this" {
  identifier     = "estate-${var.environment}"
  engine         = "postgres"
  engine_version = var.database_engine_version
  instance_class = var.database_instance_class

  allocated_storage     = var.database_allocated_storage
  max_allocated_storage = var.database_allocated_storage * 4
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name  = "estate"
  username = "estate_admin"

  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.secrets.key_id

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = var.database_security_group_ids
  publicly_accessible    = false
  multi_az               = var.database_multi_az

  backup_retention_period   = 7
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "estate-${var.environment}-final"
  copy_tags_to_snapshot     = true
}
