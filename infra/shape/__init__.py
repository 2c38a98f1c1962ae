"""The neutral shape of the deployment, shared by the CDK app (`infra.cdk`) and the local
runtime (`infra.local`), which import it and never each other (tests/unit/test_layering.py):
resource names, requests, rule patterns and function environments (`resources`), the REST
gateway's own responses (`gateway`) and the user pool's settings (`cognito_pool`).
Plain Python: no boto3, no aws_cdk."""
