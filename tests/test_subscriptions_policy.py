"""The site's CSP names exactly the service's origin, in _headers and the README
(with docs/)."""

from __future__ import annotations

import json
import re
import sys

from tests.sitebuild import PROJECT, build

GROUPS = ("features", "workarounds", "machinery")
# The plugin folders (plugins/features, workarounds, machinery).
PLUGIN_FOLDERS = [str(PROJECT / "plugins" / group) for group in GROUPS]

sys.path[:0] = PLUGIN_FOLDERS
from subscription_policy.subscription_policy import (  # noqa: E402
    content_security_policy,
)


def test_the_readme_nginx_line_is_the_policy_the_build_writes(tmp_path):
    digest = {"service_url": "https://essays.example.org/subscriptions"}
    output = build(tmp_path / "output", extra=["-e", f"DIGEST={json.dumps(digest)}"])
    headers = (output / "_headers").read_text()
    built = re.search(r"Content-Security-Policy: (.+)", headers).group(1).strip()
    assert built == content_security_policy("https://essays.example.org")
    directives = dict(d.strip().split(" ", 1) for d in built.split(";"))
    assert directives["form-action"] == "'self' https://essays.example.org"
    pages = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
    readme = "\n".join(page.read_text("utf-8") for page in pages)
    (nginx,) = re.findall(r'add_header Content-Security-Policy "([^"]+)"', readme)
    assert nginx == built
    tree = (output / "subscribe/index.html").read_text()
    assert 'action="https://essays.example.org/subscriptions/subscribe"' in tree


def test_a_service_on_its_own_host_and_port_is_named_with_its_port(tmp_path):
    digest = {"service_url": "https://subscribe.example.org:8443/"}
    output = build(tmp_path / "output", extra=["-e", f"DIGEST={json.dumps(digest)}"])
    headers = (output / "_headers").read_text()
    assert "form-action 'self' https://subscribe.example.org:8443;" in headers
