"""Names other systems define, which functions match or read at run time: kept out of
`common.topology` so a function can use them without defining the topology models."""

from __future__ import annotations

GUARDDUTY_SOURCE = "aws.guardduty"
GUARDDUTY_SCAN_RESULT = "GuardDuty Malware Protection Object Scan Result"
"""What GuardDuty Malware Protection for S3 puts on the default bus for each scanned object."""

CDN_URL_PARAMETER = "url"
CDN_KEY_PAIR_PARAMETER = "key-pair-id"
"""The SSM parameters (under a `SignedDownloads` path) where the edge stack writes what the
CDN is: its URL and the id of its signing key pair."""
