"""Sign in to the running local portal (`make run`) and print a Cognito token.

Signs in the way the web app does (USER_SRP_AUTH: the password never leaves this process)
and answers every challenge the pool can ask: a new password after an invitation
(NEW_PASSWORD_REQUIRED) and a TOTP code (SOFTWARE_TOKEN_MFA). The password and TOTP secret
of the demo users default to what `.local/endpoints.json` lists; anything missing is asked
for on a terminal, or named in the error otherwise.

examples:
  python -m infra.local.login admin@scts.local
  python -m infra.local.login ana@example.local 'Passw0rd!...' --totp-code 123456
  python -m infra.local.login new@example.local 'TEMP-PASSWORD' --new-password 'N3w-passw0rd!!'
  TOKEN=$(python -m infra.local.login admin@scts.local)
  curl -H "authorization: Bearer $TOKEN" http://127.0.0.1:8710/v1/me

exit codes:
  0  signed in; the token is on stdout
  1  refused by Cognito (wrong username or password, wrong TOTP code, new password
     rejected by the password policy, user disabled): the reason is on stderr
  2  wrong command-line usage
  3  the local portal is not running (no endpoints.json, or Cognito does not answer)
  4  Cognito asks for something not given (password, --new-password, a TOTP code)
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError
from pycognito.aws_srp import AWSSRP

from common.settings import load_settings
from infra.local import aws
from infra.local.cognito import totp_code
from infra.local.runtime import ENDPOINTS_FILE, LocalSettings

SIGNED_IN, REFUSED, USAGE, NOT_RUNNING, NEEDS_INPUT = 0, 1, 2, 3, 4
PRINTABLE = {"access": "AccessToken", "id": "IdToken", "refresh": "RefreshToken"}

Prompt = Callable[[str], str]


class Stop(Exception):
    """End the sign-in with a message and an exit code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Answers:
    """What the person gave (or endpoints.json lists) to answer Cognito's challenges."""

    username: str
    password: str | None
    new_password: str | None
    totp_secret: str | None
    totp_code: str | None
    prompt: Prompt | None

    def ask(self, question: str, option: str) -> str:
        if self.prompt is None:
            raise Stop(NEEDS_INPUT, f"{self.username}: {question}; give {option}")
        try:
            return self.prompt(f"{question}: ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise Stop(NEEDS_INPUT, f"{self.username}: {question}; give {option}") from exc


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m infra.local.login",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]) if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument("username", help="the email the person signs in with")
    parse.add_argument("password", nargs="?", help="default: the demo user's, from endpoints.json")
    parse.add_argument("--new-password", help="the new password, when Cognito asks for one")
    totp = parse.add_mutually_exclusive_group()
    totp.add_argument("--totp-secret", help="the authenticator secret, to compute the code")
    totp.add_argument("--totp-code", help="a 6-digit code from the authenticator app")
    parse.add_argument(
        "--print",
        dest="output",
        choices=[*PRINTABLE, "json"],
        default="access",
        help="which token to print (json: Cognito's whole AuthenticationResult)",
    )
    return parse


def endpoints() -> dict[str, Any]:
    path = load_settings(LocalSettings).state_dir / ENDPOINTS_FILE
    if not path.exists():
        raise Stop(NOT_RUNNING, f"{path} not found: is `make run` up?")
    found: dict[str, Any] = json.loads(path.read_text())
    return found


def _challenge(cognito: Any, client_id: str, answer: dict[str, Any], **responses: str) -> Any:
    return cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=answer["ChallengeName"],
        Session=answer["Session"],
        ChallengeResponses=responses,
    )


def sign_in(cognito: Any, pool_id: str, client_id: str, given: Answers) -> dict[str, Any]:
    """USER_SRP_AUTH, then every challenge until Cognito hands out tokens."""
    password = given.password or given.ask("password", "it after the username")
    srp = AWSSRP(given.username, password, pool_id, client_id, client=cognito)
    parameters = srp.get_auth_params()
    answer = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=parameters
    )
    user_id = answer["ChallengeParameters"]["USER_ID_FOR_SRP"]
    answer = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=srp.process_challenge(answer["ChallengeParameters"], parameters),
    )
    while "AuthenticationResult" not in answer:
        name = answer.get("ChallengeName")
        if name == "NEW_PASSWORD_REQUIRED":
            new_password = given.new_password or given.ask(
                "a new password is required (first sign-in)", "--new-password"
            )
            answer = _challenge(
                cognito, client_id, answer, USERNAME=user_id, NEW_PASSWORD=new_password
            )
            print(f"{given.username}: password changed; sign in with the new one", file=sys.stderr)
        elif name == "SOFTWARE_TOKEN_MFA":
            code = given.totp_code or (
                totp_code(given.totp_secret)
                if given.totp_secret
                else given.ask("TOTP code", "--totp-code or --totp-secret")
            )
            answer = _challenge(
                cognito, client_id, answer, USERNAME=user_id, SOFTWARE_TOKEN_MFA_CODE=code
            )
        else:
            raise Stop(REFUSED, f"{given.username}: Cognito asks for {name}, not supported here")
    result: dict[str, Any] = answer["AuthenticationResult"]
    return result


REASONS = {
    "NotAuthorizedException": "sign-in refused",
    "CodeMismatchException": "the TOTP code was refused (wrong, or from another time step)",
    "InvalidPasswordException": "the new password was refused",
    "InvalidParameterException": "Cognito refused the request",
    "UserNotConfirmedException": "the user is not confirmed",
    "PasswordResetRequiredException": "the password must be reset first (forgot password)",
}


def main(argv: list[str], prompt: Prompt | None = None) -> int:
    args = parser().parse_args(argv)
    if prompt is None and sys.stdin.isatty():
        prompt = getpass.getpass
    try:
        facts = endpoints()
        listed: dict[str, Any] = next(
            (u for u in facts["users"] if u["username"] == args.username), {}
        )
        given = Answers(
            username=args.username,
            password=args.password or listed.get("password"),
            new_password=args.new_password,
            totp_secret=args.totp_secret or listed.get("totp_secret"),
            totp_code=args.totp_code,
            prompt=prompt,
        )
        pool = facts["cognito"]
        cognito = aws.client("cognito-idp", pool["endpoint"])
        tokens = sign_in(cognito, pool["user_pool_id"], pool["client_id"], given)
    except Stop as stop:
        print(str(stop), file=sys.stderr)
        return stop.code
    except EndpointConnectionError as exc:
        print(f"the local Cognito does not answer ({exc}): is `make run` up?", file=sys.stderr)
        return NOT_RUNNING
    except ClientError as exc:
        error = exc.response["Error"]
        reason = REASONS.get(error["Code"], error["Code"])
        print(f"{args.username}: {reason}: {error.get('Message', '')}", file=sys.stderr)
        return REFUSED
    except BotoCoreError as exc:
        print(f"the local Cognito failed: {exc}", file=sys.stderr)
        return NOT_RUNNING
    print(json.dumps(tokens, indent=2) if args.output == "json" else tokens[PRINTABLE[args.output]])
    return SIGNED_IN


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
