"""The WAF web ACL shape shared by the edge (CloudFront) and the ingest API (regional)."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet"
KNOWN_BAD_INPUTS_RULE_SET = "AWSManagedRulesKnownBadInputsRuleSet"
RATE_RULE = "RatePerIp"


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True,
        metric_name=metric_name,
        sampled_requests_enabled=True,
    )


def _managed(
    priority: int, name: str, count_only: Sequence[str] = ()
) -> wafv2.CfnWebACL.RuleProperty:
    overrides = [
        wafv2.CfnWebACL.RuleActionOverrideProperty(
            name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
        )
        for rule in count_only
    ]
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS", name=name, rule_action_overrides=overrides or None
            )
        ),
        visibility_config=_visibility(name),
    )


def web_acl(
    scope: Construct,
    construct_id: str,
    *,
    name: str,
    waf_scope: str,
    rate_limit_per_ip: int,
    common_rules_count_only: Sequence[str] = (),
) -> wafv2.CfnWebACL:
    """A per-IP rate rule (block) + AWS common and known-bad-inputs managed rule groups.

    `common_rules_count_only`: rules of the common rule set that only count (for an API
    whose legitimate requests trip them, e.g. bodies above the set's 8 KB size rule).
    """
    rate = wafv2.CfnWebACL.RuleProperty(
        name=RATE_RULE,
        priority=0,
        action=wafv2.CfnWebACL.RuleActionProperty(block={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                limit=rate_limit_per_ip, aggregate_key_type="IP"
            )
        ),
        visibility_config=_visibility(RATE_RULE),
    )
    return wafv2.CfnWebACL(
        scope,
        construct_id,
        name=name,
        scope=waf_scope,
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=_visibility(name),
        rules=[
            rate,
            _managed(1, COMMON_RULE_SET, common_rules_count_only),
            _managed(2, KNOWN_BAD_INPUTS_RULE_SET),
        ],
    )
