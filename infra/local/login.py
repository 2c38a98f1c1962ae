"""Print a demo user's Cognito access token from the running local portal.

    python -m infra.local.login USERNAME [PASSWORD]

The password and TOTP secret default to what `.local/endpoints.json` lists for USERNAME.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from infra.local import aws
from infra.local.cognito import UserPool, login
from infra.local.runtime import ENDPOINTS_FILE, LocalSettings


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    endpoints_file = LocalSettings().state_dir / ENDPOINTS_FILE
    if not endpoints_file.exists():
        print(f"{endpoints_file} not found: is `make run` up?", file=sys.stderr)
        return 1
    endpoints = json.loads(endpoints_file.read_text())
    username = argv[0]
    listed: dict[str, Any] = next((u for u in endpoints["users"] if u["username"] == username), {})
    password = argv[1] if len(argv) == 2 else listed.get("password")
    if not password:
        print(f"{username} is not a demo user; give the password too", file=sys.stderr)
        return 2
    cognito_facts = endpoints["cognito"]
    pool = UserPool(
        endpoint=cognito_facts["endpoint"],
        region=cognito_facts["region"],
        user_pool_id=cognito_facts["user_pool_id"],
        client_id=cognito_facts["client_id"],
    )
    cognito = aws.client("cognito-idp", pool.endpoint)
    tokens = login(cognito, pool, username, password, listed.get("totp_secret"))
    print(tokens["AccessToken"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
