"""Failed sign-ins are throttled per account and per address, in a Redis store every worker shares; a team
behind one address is not locked out by its own sign-ins."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest
import redis

from ecotool.config import PROJECT_ROOT
from ecotool.extensions import limiter
from tests.conftest import IN_CI, PASSWORD

REDIS_URL = "redis://127.0.0.1:6379"


@pytest.fixture
def store():
    """A Redis key prefix of this test's own, emptied afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        if IN_CI:
            pytest.fail(f"Redis is required in CI but not reachable at {REDIS_URL}: {exc}")
        pytest.skip("Redis not reachable")
    prefix = f"ecotool-test-{uuid.uuid4().hex}"
    yield prefix
    keys = list(client.scan_iter(f"*{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def _throttled(app, prefix: str):
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL, ECOTOOL_THROTTLE_PREFIX=prefix)
    limiter.init_app(app)
    return app.test_client()


def _try(client, email, password="wrong", address="10.0.0.1") -> int:
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_an_account_is_throttled_after_10_failures_from_any_addresses(app, team, store):
    client = _throttled(app, store)
    email = team["supporter"].email
    assert [_try(client, email, address=f"10.0.1.{i}") for i in range(10)] == [422] * 10
    assert _try(client, email, address="10.0.1.99") == 429
    # Even the right password waits out the 15 minutes; another account behind the same address does not.
    assert _try(client, email, PASSWORD, address="10.0.1.99") == 429
    assert _try(client, team["supervisor"].email, PASSWORD, address="10.0.1.99") == 302


def test_an_address_is_throttled_after_30_failures_across_accounts(app, team, store):
    client = _throttled(app, store)
    statuses = [_try(client, f"guess{i}@example.org") for i in range(30)]
    assert statuses == [422] * 30
    assert _try(client, "guess-more@example.org") == 429
    assert _try(client, "guess-more@example.org", address="10.0.0.2") == 422


def test_sign_ins_that_succeed_do_not_count_against_the_address(app, team, store):
    client = _throttled(app, store)
    people = [team[role] for role in ("supporter", "other_supporter", "supervisor", "commissioner", "admin")]
    for _ in range(8):
        for person in people:
            assert _try(client, person.email, PASSWORD) == 302
    assert _try(client, "typo@example.org") == 422


_WORKER = """
import json, sys
from ecotool import create_app
from tests.conftest import _config
url, redis_url, prefix, email, n = sys.argv[1:6]
app = create_app({**_config(url), "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_url,
                  "ECOTOOL_THROTTLE_PREFIX": prefix})
client = app.test_client()
print(json.dumps([client.post("/login", data={"email": email, "password": "wrong"},
                              environ_base={"REMOTE_ADDR": "10.0.2.1"}).status_code for _ in range(int(n))]))
"""


def test_the_count_is_shared_by_every_worker(app, team, store, session):
    """Another process (a second worker) spends 6 of the account's 10 tries; this one has 4 left."""
    email = team["supporter"].email
    session.commit()
    session.close()  # no read of this process holds SQLite's lock while the worker writes its audit rows
    worker = subprocess.run(
        [sys.executable, "-c", _WORKER, app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL, store, email, "6"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert json.loads(worker.stdout.strip().splitlines()[-1]) == [422] * 6
    client = _throttled(app, store)
    assert [_try(client, email, address="10.0.2.2") for _ in range(4)] == [422] * 4
    assert _try(client, email, address="10.0.2.3") == 429


def test_a_json_body_cannot_sign_in_round_the_account_throttle(app, team, store):
    client = _throttled(app, store)
    email = team["supporter"].email
    assert [_try(client, email) for _ in range(10)] == [422] * 10
    assert _try(client, email, PASSWORD) == 429
    sent = client.post("/login", json={"email": email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.3.1"})
    assert sent.status_code == 415


def test_behind_a_proxy_each_client_is_counted_by_her_own_address(sqlite_template, tmp_path, store, monkeypatch):
    """With ECOTOOL_PROXIES set, the address throttle reads X-Forwarded-For: one client's 30 failures do not lock
    out the others who reach the app through the same proxy."""
    import shutil

    from ecotool import create_app
    from tests.conftest import _config

    path = tmp_path / "proxied.sqlite"
    shutil.copy(sqlite_template, path)
    app = create_app({**_config(f"sqlite:///{path}"), "ECOTOOL_PROXIES": 1})
    client = _throttled(app, store)

    tries = iter(range(100))

    def attempt(forwarded: str) -> int:
        return client.post("/login", data={"email": f"guess{next(tries)}@example.org", "password": "wrong"},
                           environ_base={"REMOTE_ADDR": "10.9.9.9"},
                           headers={"X-Forwarded-For": forwarded}).status_code

    assert [attempt("203.0.113.7") for _ in range(30)] == [422] * 30
    assert attempt("203.0.113.7") == 429
    assert attempt("198.51.100.4") == 422
    with app.app_context():
        from ecotool.db import db
        db.engine.dispose()
