"""The CDK app, built from the service topologies (see infra/cdk/README.md)."""

import os

# jsii starts node on the first aws_cdk import; the installed Node 20's end-of-life banner
# would otherwise bury every synth's output (see ../shared/local-aws.md).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
