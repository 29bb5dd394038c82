"""`make publish` replaces the output folder only with a site that built whole."""

from __future__ import annotations

import re

from tests.sitebuild import PROJECT, copy_content, make_in

SITEURL = {"SITEURL": "https://essays.example.org"}


def last_good_site(output):
    """An output folder as a previous publish left it, with a file to recognise."""
    (output / "customer-disservice").mkdir(parents=True)
    (output / "customer-disservice" / "index.html").write_text("last good site")
    return output


def publish(tmp_path, content, output, env):
    return make_in(
        PROJECT,
        "--no-print-directory",
        "publish",
        f"INPUTDIR={content}",
        f"OUTPUTDIR={output}",
        f"PELICANOPTS=--cache-path {tmp_path / 'cache'}",
        env=env,
    )


def leftovers(output):
    return sorted(p.name for p in output.parent.glob(output.name + ".*"))


def test_a_failed_build_leaves_the_last_good_site_in_place(tmp_path):
    content = copy_content(tmp_path / "content")
    output = last_good_site(tmp_path / "output")
    # make check passes; the build itself stops (publishconf.py refuses it).
    result = publish(tmp_path, content, output, {"SITEURL": "ftp://essays.example"})
    assert result.returncode != 0
    assert "SITEURL must start with https://" in result.stderr
    assert f"the build failed; {output} is unchanged" in result.stderr
    page = output / "customer-disservice" / "index.html"
    assert page.read_text() == "last good site"
    assert leftovers(output) == []


def test_an_essay_that_fails_make_check_is_not_published(tmp_path):
    content = copy_content(tmp_path / "content")
    essay = content / "essays" / "05-what-is-customer-service.md"
    essay.write_text(
        re.sub(r"(?m)^Summary:.*\n", "", essay.read_text("utf-8")), "utf-8"
    )
    output = last_good_site(tmp_path / "output")
    result = publish(tmp_path, content, output, SITEURL)
    assert result.returncode != 0
    assert re.search(
        r"05-what-is-customer-service\.md:\d+: error: .*Summary", result.stdout
    ), result.stdout
    page = output / "customer-disservice" / "index.html"
    assert page.read_text() == "last good site"
    assert leftovers(output) == []


def test_a_successful_publish_replaces_the_whole_folder(tmp_path):
    content = copy_content(tmp_path / "content")
    output = last_good_site(tmp_path / "output")
    (output / "stale-from-an-old-build.html").write_text("gone")
    result = publish(tmp_path, content, output, SITEURL)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (output / "customer-disservice" / "index.html").read_text("utf-8")
    assert "https://essays.example.org/customer-disservice/" in page
    assert not (output / "stale-from-an-old-build.html").exists()
    assert leftovers(output) == []


def test_make_help_lists_every_target_the_readme_names():
    pages = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
    readme = "\n".join(page.read_text("utf-8") for page in pages)
    named = set(re.findall(r"`make ([a-z][a-z-]*)", readme))
    shown = make_in(PROJECT, "-s", "help").stdout
    listed = set(re.findall(r"^make ([a-z][a-z-]*)", shown, re.M))
    assert named, "the README names no make target"
    assert named <= listed, f"missing from make help: {sorted(named - listed)}"
