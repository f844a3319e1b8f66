"""Drives keybridge dev's AppRole method and leases with hvac (Debian's python3-hvac 0.11).

Reads one JSON object on stdin: {"addr", "root_token", "role", "db_role"}. As root it creates an
AppRole role and a secret ID the way hvac sends them; as the machine it logs in, reads database
credentials, renews, looks up and revokes their lease. Prints one JSON object with what each call
returned (never a credential), for the test to check.
"""
import json
import sys

import hvac
import hvac.exceptions


def refusal(call):
    try:
        call()
    except hvac.exceptions.VaultError as error:
        return {"kind": type(error).__name__, "errors": error.errors}
    return None


def main():
    request = json.load(sys.stdin)
    admin = hvac.Client(url=request["addr"], token=request["root_token"])
    report = {}

    # hvac sends lists as comma-separated strings and `metadata: null` when none is given.
    admin.auth.approle.create_or_update_approle(role_name=request["role"], token_policies=["db-train"], token_ttl="10m", secret_id_num_uses=3)
    role_id = admin.auth.approle.read_role_id(role_name=request["role"])["data"]["role_id"]
    issued = admin.auth.approle.generate_secret_id(role_name=request["role"])["data"]
    report["secret_id_num_uses"] = issued["secret_id_num_uses"]

    machine = hvac.Client(url=request["addr"])
    report["wrong_secret_id"] = refusal(lambda: machine.auth.approle.login(role_id=role_id, secret_id="not-the-secret-id"))
    login = machine.auth.approle.login(role_id=role_id, secret_id=issued["secret_id"])
    report["login_policies"] = login["auth"]["policies"]
    report["login_metadata"] = login["auth"]["metadata"]
    report["adopted_token"] = machine.token == login["auth"]["client_token"]

    creds = machine.secrets.database.generate_credentials(name=request["db_role"])
    lease_id = creds["lease_id"]
    report["lease_prefix"] = lease_id.rsplit("/", 1)[0]
    report["lease_duration"] = creds["lease_duration"]
    report["username_prefix"] = creds["data"]["username"][: len("v-" + request["db_role"]) + 1]

    renewed = machine.sys.renew_lease(lease_id=lease_id, increment=120)
    report["renewed"] = [renewed["lease_id"] == lease_id, renewed["lease_duration"], renewed["renewable"]]
    # No increment: hvac sends "increment": null, and the role's default TTL applies.
    report["renewed_default"] = machine.sys.renew_lease(lease_id=lease_id)["lease_duration"]
    looked = machine.sys.read_lease(lease_id=lease_id)["data"]
    report["lookup"] = [looked["id"] == lease_id, looked["renewable"], looked["ttl"]]

    report["listed"] = admin.sys.list_leases(prefix="database/creds/" + request["db_role"] + "/")["data"]["keys"] == [lease_id.rsplit("/", 1)[1]]
    report["machine_revoke"] = refusal(lambda: machine.sys.revoke_lease(lease_id=lease_id))
    report["revoke_status"] = admin.sys.revoke_lease(lease_id=lease_id).status_code
    report["after_revoke"] = refusal(lambda: machine.sys.read_lease(lease_id=lease_id))
    report["renew_after_revoke"] = refusal(lambda: machine.sys.renew_lease(lease_id=lease_id))

    print(json.dumps(report))


if __name__ == "__main__":
    main()
