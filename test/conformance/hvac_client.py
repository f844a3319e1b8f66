"""Drives keybridge dev with hvac, the Python Vault client (Debian's python3-hvac 0.11).

Reads one JSON object on stdin: {"addr", "role", "jwt", "refused_jwt"}. Makes the calls a CI job
would make and prints one JSON object with what each call returned, for the test to check.
"""
import json
import sys

import hvac
import hvac.exceptions


def main():
    request = json.load(sys.stdin)
    client = hvac.Client(url=request["addr"])
    report = {}

    # hvac 0.11 asks for health with HEAD: status only, no body.
    report["health_status"] = client.sys.read_health_status().status_code

    try:
        client.auth.jwt.jwt_login(role=request["role"], jwt=request["refused_jwt"])
    except hvac.exceptions.InvalidRequest as error:
        report["refused_login"] = {"kind": "InvalidRequest", "errors": error.errors}

    login = client.auth.jwt.jwt_login(role=request["role"], jwt=request["jwt"])
    report["login_policies"] = login["auth"]["policies"]
    report["login_metadata"] = login["auth"]["metadata"]
    report["adopted_token"] = client.token == login["auth"]["client_token"]
    report["authenticated"] = client.is_authenticated()

    secret = client.secrets.kv.v2.read_secret_version(path="ml-training/prod/database", mount_point="secret")
    report["secret_data"] = secret["data"]["data"]
    report["secret_version"] = secret["data"]["metadata"]["version"]

    listed = client.secrets.kv.v2.list_secrets(path="ml-training/prod", mount_point="secret")
    report["listed_keys"] = listed["data"]["keys"]

    try:
        client.secrets.kv.v2.read_secret_version(path="other-team/prod/db", mount_point="secret")
    except hvac.exceptions.Forbidden as error:
        report["forbidden_read"] = {"kind": "Forbidden", "errors": error.errors}

    report["lookup_self_policies"] = client.auth.token.lookup_self()["data"]["policies"]
    report["revoke_status"] = client.auth.token.revoke_self().status_code

    try:
        client.auth.token.lookup_self()
    except hvac.exceptions.Forbidden as error:
        report["after_revoke"] = {"kind": "Forbidden", "errors": error.errors}

    print(json.dumps(report))


if __name__ == "__main__":
    main()
