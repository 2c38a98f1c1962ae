"""Operator commands (`python -m infra.ops.<command> --help`): recovery that works the
same against an AWS account and against the local runtime (`--local`)."""
