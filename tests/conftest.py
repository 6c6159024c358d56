"""Black-box tests: a running Odoo server, driven only through XML-RPC.

scripts/test.sh starts the server on the test database and sets
ALLIANCE_URL and ALLIANCE_DB. Nothing here imports the addons' code.
"""

import os
import xmlrpc.client

import pytest


class Client:
    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url, db, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, f"cannot log in as {login}"
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


@pytest.fixture(scope="session")
def server():
    url = os.environ.get("ALLIANCE_URL")
    db = os.environ.get("ALLIANCE_DB")
    if not url or not db:
        pytest.fail("ALLIANCE_URL and ALLIANCE_DB must point at a running server (scripts/test.sh sets them)")
    return url, db


@pytest.fixture(scope="session")
def login(server):
    clients = {}

    def _login(user):
        if user not in clients:
            # Demo users' password is their login; the admin's is "admin".
            clients[user] = Client(*server, user, user)
        return clients[user]

    return _login
