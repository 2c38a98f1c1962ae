"""Gates on the synthesized app: cdk-nag, cfn-lint, encryption, DLQs, least privilege."""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest
from cfnlint.api import ManualArgs, lint

from infra.cdk.platform import EDGE_REGION
from infra.shape.resources import claimed_bucket_name
from services.topologies import TOPOLOGIES
from tests.infra import gates

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]

CFN_LINT_IGNORED = [
    "W3005",  # CDK adds an explicit DependsOn on the role's policy next to the GetAtt
    "W3045",  # CloudFront standard logging needs the log bucket's ACL (set by CDK)
    "E3703",  # CDK Pipelines' generated Fn::Join ARNs; a style rule, not a defect
]


def test_synth_passes_cdk_nag_with_no_unacknowledged_finding(synthesized):
    """The session synth would have raised on any finding (the broken variant shows it
    does); the report must hold no violation from any validation plugin."""
    report_file = synthesized.outdir / "validation-report.json"
    assert report_file.exists(), "synthesis wrote no validation report"
    for plugin in json.loads(report_file.read_text())["pluginReports"]:
        assert plugin["violations"] == [], plugin["pluginName"]


def test_every_acknowledgement_names_one_finding_and_a_reason(synthesized):
    acknowledged: dict[str, str] = {}
    for metadata_file in synthesized.outdir.rglob("*.metadata.json"):
        for path, entries in json.loads(metadata_file.read_text()).items():
            for entry in entries:
                if entry["type"] == "aws:cdk:acknowledged-rules":
                    for rule, reason in entry["data"].items():
                        acknowledged[f"{path} {rule}"] = reason
    assert acknowledged, "expected the documented acknowledgements in the assembly"
    for where, reason in acknowledged.items():
        rule = where.split(" ", 1)[1].removeprefix("Annotation::")
        assert rule.startswith(("AwsSolutions-", "Serverless-", "CloudFormation-Validate::")), where
        if rule.startswith("AwsSolutions-IAM5"):
            assert "[" in rule, f"{where}: IAM5 must name the exact action/resource"
        assert len(reason.split()) >= 5, f"{where}: say why"


def test_every_template_passes_cfn_lint(synthesized):
    problems = []
    for path in synthesized.template_files():
        region = EDGE_REGION if "Edge" in path.name or EDGE_REGION in path.name else None
        config = ManualArgs(regions=[region or "eu-west-1"], ignore_checks=CFN_LINT_IGNORED)
        for match in lint(path.read_text(), config=config):
            problems.append(f"{path.name}: {match.rule.id} {match.message} at {match.path}")
    assert problems == []


def test_synth_writes_platform_services_observability_and_pipeline(synthesized):
    names = {path.name for path in synthesized.template_files()}
    assert "Pipeline.template.json" in names
    for stage in synthesized.stages:
        stacks = [stage.edge, stage.platform, stage.observability, *stage.services]
        assert len(stage.services) == len(TOPOLOGIES)
        for stack in stacks:
            assert synthesized.template(stack)["Resources"]


def _all_templates(synthesized):
    return {path.name: json.loads(path.read_text()) for path in synthesized.template_files()}


def test_every_table_queue_bucket_log_group_and_topic_is_encrypted(synthesized):
    found = [
        f"{name}: {problem}"
        for name, template in _all_templates(synthesized).items()
        for problem in gates.unencrypted(template)
    ]
    assert found == []


def test_every_function_logs_into_a_log_group_of_its_stack(synthesized):
    found = [
        f"{name}: {problem}"
        for name, template in _all_templates(synthesized).items()
        for problem in gates.functions_without_their_log_group(template)
    ]
    assert found == []


def test_every_bucket_blocks_public_access_and_denies_plain_http(synthesized):
    found = [
        f"{name}: {problem}"
        for name, template in _all_templates(synthesized).items()
        for problem in gates.open_buckets(template)
    ]
    assert found == []


def test_every_queue_has_a_dlq_and_every_dlq_an_alarm(synthesized):
    found = []
    for stage in synthesized.stages:
        services = synthesized.service_templates(stage)
        observability = synthesized.template(stage.observability)
        for template in (*services.values(), observability):
            found += gates.queues_without_dlq(template)
        found += gates.dlqs_without_alarm(services.values(), observability)
    assert found == []


def test_every_event_source_reports_batch_item_failures(synthesized):
    found = [
        problem
        for stage in synthesized.stages
        for template in synthesized.service_templates(stage).values()
        for problem in gates.mappings_without_partial_failures(template)
    ]
    assert found == []


def test_every_rule_target_has_retry_policy_and_dlq(synthesized):
    found = [
        problem
        for stage in synthesized.stages
        for template in synthesized.service_templates(stage).values()
        for problem in gates.rule_targets_without_retry_or_dlq(template)
    ]
    assert found == []


def test_service_principals_are_scoped_to_their_source(synthesized):
    found = [
        problem
        for stage in synthesized.stages
        for stack in (stage.platform, stage.edge, stage.observability, *stage.services)
        for problem in gates.unscoped_service_principals(synthesized.template(stack))
    ]
    assert found == []


def test_sqs_pollers_stay_within_the_functions_reserved_concurrency(synthesized):
    found = [
        problem
        for stage in synthesized.stages
        for template in synthesized.service_templates(stage).values()
        for problem in gates.sqs_pollers_above_reserved_concurrency(template)
    ]
    assert found == []


def test_no_function_role_touches_another_services_resources(synthesized):
    names = [t.service for t in TOPOLOGIES]
    found = [
        problem
        for stage in synthesized.stages
        for service, template in synthesized.service_templates(stage).items()
        for problem in gates.foreign_access(
            template, service.topology.service, names, claimed_prefixes(service, stage)
        )
    ]
    assert found == []


def claimed_prefixes(service, stage) -> list[str]:
    config = stage.stage_config
    return [
        f"{claimed_bucket_name(claim, config.name, config.account)}/{claim.prefix}*"
        for claim in service.topology.claim_checks
    ]


def test_a_claim_check_reads_only_its_shared_prefix(synthesized):
    """The documents intake reads provisioning's documents/ prefix and nothing else of it;
    no other function of the service reaches it; a wider grant is caught by the gate."""
    for stage in synthesized.stages:
        services = synthesized.service_templates(stage)
        documents = next(s for s in services if s.topology.service == "documents")
        template = services[documents]
        (prefix,) = claimed_prefixes(documents, stage)
        readers = [
            logical_id
            for logical_id, policy in gates.resources(template, "AWS::IAM::Policy").items()
            if prefix in json.dumps(gates.props(policy))
        ]
        assert len(readers) == 1
        assert readers[0].startswith("RoleintakeDefaultPolicy")
        wider = json.loads(json.dumps(template).replace(f"/{prefix.split('/', 1)[1]}", "/*"))
        assert gates.foreign_access(wider, "documents", ["provisioning"], [prefix]) != []


def test_bus_policy_denies_each_service_any_source_but_its_own(synthesized):
    for stage in synthesized.stages:
        platform = synthesized.template(stage.platform)
        statements = [
            gates.props(policy)["Statement"]
            for policy in gates.resources(platform, "AWS::Events::EventBusPolicy").values()
        ]
        for topology in TOPOLOGIES:
            assert any(
                s["Effect"] == "Deny"
                and s["Condition"]["StringNotEquals"]["events:source"] == f"scts.{topology.service}"
                and f"/scts/{stage.stage_config.name}/{topology.service}/"
                in json.dumps(s["Condition"]["ArnLike"])
                for s in statements
            ), topology.service


def test_functions_run_a_current_python_on_arm_with_tracing_and_json_logs(synthesized):
    for stage in synthesized.stages:
        for template in synthesized.service_templates(stage).values():
            for logical_id, function in gates.resources(template, "AWS::Lambda::Function").items():
                p = gates.props(function)
                version = tuple(
                    int(part) for part in p["Runtime"].removeprefix("python").split(".")
                )
                assert version >= (3, 12), logical_id
                assert p["Architectures"] == ["arm64"], logical_id
                assert p["TracingConfig"] == {"Mode": "Active"}, logical_id
                assert p["LoggingConfig"]["LogFormat"] == "JSON", logical_id
                assert p["Environment"]["Variables"]["SCTS_STAGE"] == stage.stage_config.name


def test_tables_are_on_demand_with_pitr_and_prod_deletion_protection(synthesized):
    for stage in synthesized.stages:
        for template in synthesized.service_templates(stage).values():
            for logical_id, table in gates.resources(template, *gates.TABLE_TYPES).items():
                p = gates.props(table)
                assert p["BillingMode"] == "PAY_PER_REQUEST", logical_id
                (replica,) = p["Replicas"]
                assert replica["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"], (
                    logical_id
                )
                assert replica.get("DeletionProtectionEnabled", False) is (
                    stage.stage_config.production
                ), logical_id
                assert p["SSESpecification"]["SSEType"] == "KMS", logical_id


def test_user_pool_and_spa_client_follow_the_security_model(synthesized):
    for stage in synthesized.stages:
        platform = synthesized.template(stage.platform)
        (pool,) = gates.resources(platform, "AWS::Cognito::UserPool").values()
        p = gates.props(pool)
        assert p["MfaConfiguration"] in ("OPTIONAL", "ON")
        assert p["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
        assert p["AccountRecoverySetting"]["RecoveryMechanisms"] == [
            {"Name": "verified_email", "Priority": 1}
        ]
        password = p["Policies"]["PasswordPolicy"]
        assert password["MinimumLength"] >= 12
        assert all(
            password[flag]
            for flag in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols")
        )
        assert p["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
        if stage.stage_config.threat_protection:
            assert p["UserPoolTier"] == "PLUS"
            assert p["UserPoolAddOns"]["AdvancedSecurityMode"] == "ENFORCED"
        (client,) = gates.resources(platform, "AWS::Cognito::UserPoolClient").values()
        c = gates.props(client)
        assert c["GenerateSecret"] is False
        assert c["AllowedOAuthFlows"] == ["code"]
        assert c["AccessTokenValidity"] == 15
        assert c["TokenValidityUnits"]["AccessToken"] == "minutes"
        assert "EntraID" in c["SupportedIdentityProviders"]
        (callback,) = c["CallbackURLs"]
        portal_root = urljoin(callback, "/")
        assert c["LogoutURLs"] == [portal_root]  # the SPA's sign-out sends logout_uri=<root>
        (provider,) = gates.resources(platform, "AWS::Cognito::UserPoolIdentityProvider").values()
        assert gates.props(provider)["ProviderType"] == "OIDC"
        assert "{{resolve:secretsmanager:" in json.dumps(gates.props(provider))


def test_edge_has_waf_rules_security_headers_and_signed_documents(synthesized):
    for stage in synthesized.stages:
        edge = synthesized.template(stage.edge)
        (acl,) = gates.resources(edge, "AWS::WAFv2::WebACL").values()
        assert gates.web_acl_rules_missing(acl) == []
        policies = gates.resources(edge, "AWS::CloudFront::ResponseHeadersPolicy").values()
        assert len(policies) == 2  # the portal's, and the downloads' (sandboxed)
        for headers in policies:
            config = gates.props(headers)["ResponseHeadersPolicyConfig"]
            security = config["SecurityHeadersConfig"]
            assert security["FrameOptions"]["FrameOption"] == "DENY"
            assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
            assert "ContentSecurityPolicy" in security
            assert "ContentTypeOptions" in security
        distributions = gates.resources(edge, "AWS::CloudFront::Distribution").values()
        assert len(distributions) == 2
        signed = [
            d
            for d in distributions
            if gates.props(d)["DistributionConfig"]["DefaultCacheBehavior"].get("TrustedKeyGroups")
        ]
        assert len(signed) == 1
        for distribution in distributions:
            config = gates.props(distribution)["DistributionConfig"]
            assert "WebACLId" in config
            assert all("OriginAccessControlId" in origin for origin in config["Origins"])
        behavior = gates.props(signed[0])["DistributionConfig"]["DefaultCacheBehavior"]
        assert behavior["AllowedMethods"] == ["GET", "HEAD"]
        headers_id = behavior["ResponseHeadersPolicyId"]["Ref"]
        download = gates.props(edge["Resources"][headers_id])["ResponseHeadersPolicyConfig"]
        csp = download["SecurityHeadersConfig"]["ContentSecurityPolicy"]
        assert csp["ContentSecurityPolicy"] == "default-src 'none'; sandbox"


def test_pipeline_gates_production_behind_smoke_tests_and_approval(synthesized):
    pipeline = synthesized.template(synthesized.pipeline)
    (resource,) = gates.resources(pipeline, "AWS::CodePipeline::Pipeline").values()
    stages = gates.props(resource)["Stages"]
    names = [s["Name"] for s in stages]
    assert names[0] == "Source"
    assert names.index("Preprod") < names.index("Prod")
    actions = {a["Name"] for s in stages for a in s["Actions"]}
    assert {"Smoke-preprod", "Promote-prod"} <= actions
    synth_project = next(
        p
        for p in gates.resources(pipeline, "AWS::CodeBuild::Project").values()
        if "make test" in json.dumps(gates.props(p)["Source"])
    )
    synth_spec = json.dumps(gates.props(synth_project)["Source"])
    assert "make synth" in synth_spec
    # The package ships bytecode compiled by the runtime's Python (infra/cdk/bytecode.py).
    assert "uv python install 3.14" in synth_spec
    assert "SCTS_LAMBDA_PYTHON=" in synth_spec
    smoke_specs = [
        json.dumps(gates.props(p)["Source"])
        for p in gates.resources(pipeline, "AWS::CodeBuild::Project").values()
        if "/v1/version" in json.dumps(gates.props(p)["Source"])
    ]
    assert len(smoke_specs) == 2  # preprod, prod
    for spec in smoke_specs:
        assert "PROVISIONING_INGEST_API_URL" in spec
        assert "= 401" in spec  # a request without a key is refused by the ingest API
    assert gates.props(resource).get("ArtifactStores")  # cross-region, KMS-keyed stores
