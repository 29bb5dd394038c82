"""plugins/skip_unchanged/digest.py on real Pelican content objects: what a
digest tells apart (a change it misses would leave a stale page behind)."""

from __future__ import annotations

import copy
import datetime

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from plugins.skip_unchanged import digest


def article(slug: str, **metadata: object) -> Article:
    fields = {"title": f"The essay {slug}", "date": datetime.datetime(2027, 1, 1)}
    fields.update(metadata)
    return Article(
        f"<p>The body of {slug}.</p>",
        metadata={"slug": slug, **fields},
        settings=copy.deepcopy(DEFAULT_CONFIG),
        source_path=f"/content/essays/{slug}.md",
        context={},
    )


def site(contents: list[Article], *names: str) -> str:
    """The site digest as a page key holds it (fresh memos: one build)."""
    return digest.BuildDigests().site(contents, names)


def test_an_attribute_lacking_is_not_an_attribute_set_to_none():
    first, second = article("first"), article("second")
    lacking = site([first, second], "reading_time")
    second.reading_time = None
    on_second = site([first, second], "reading_time")
    assert on_second != lacking
    first.reading_time = None
    del second.reading_time
    # The same values, on the other object: not the same site either.
    assert site([first, second], "reading_time") not in (lacking, on_second)


def test_each_value_and_its_place_count():
    first, second = article("first"), article("second")
    first.reading_time, second.reading_time = 3, 4
    before = site([first, second], "reading_time", "title")
    first.reading_time, second.reading_time = 4, 3
    assert site([first, second], "reading_time", "title") != before
    first.reading_time, second.reading_time = 3, 4
    assert site([first, second], "reading_time", "title") == before
    second.title = "Retitled"
    assert site([first, second], "reading_time", "title") != before


def test_a_failing_attribute_counts_as_its_failure():
    class Fragile(Article):
        @property
        def reading_time(self) -> int:
            if self.slug == "second":
                raise ValueError("no words")
            return 3

    def fragile(slug: str) -> Fragile:
        made = article(slug)
        made.__class__ = Fragile
        return made

    failing = site([fragile("first"), fragile("second")], "reading_time")
    first, second = article("first"), article("second")
    first.reading_time, second.reading_time = 3, 3
    assert failing != site([first, second], "reading_time")
    assert failing == site([fragile("first"), fragile("second")], "reading_time")


def test_other_essays_are_read_through_their_attributes_not_their_bodies():
    first, second = article("first"), article("second")
    before = site([first, second], "title")
    second._content = "<p>Edited.</p>"
    assert site([first, second], "title") == before
    # A method read of another essay may show its body: the whole object.
    assert site([first, second], "get_content") != site(
        [first, article("second")], "get_content"
    )


def test_an_essay_digest_sees_changes_inside_its_values():
    def digest_of(made: Article) -> bytes:
        return digest.BuildDigests().content(made)

    first = article("first")
    first.series = {"name": "Course", "index": 1, "all": [first, article("second")]}
    before = digest_of(first)
    first.series["all"] = [first, article("third")]
    assert digest_of(first) != before
    # A value given as its pickle is not a bytes value equal to that pickle.
    first.series = digest.dumps(first.series)
    assert digest_of(first) not in (before, digest_of(article("first")))


def test_a_values_pickle_serves_the_essay_and_the_site_alike():
    """One build: the site's digest of an attribute, made after the essays'
    own digests reused the pickles of their values, is the one made alone."""
    first, second = article("first"), article("second")
    for made, index in ((first, 1), (second, 2)):
        made.series = {"name": "Course", "index": index, "all": [first, second]}
    build = digest.BuildDigests()
    build.content(first), build.content(second)
    made_after = build.site([first, second], ("series",))
    assert made_after == site([first, second], "series")
    second.series = {"name": "Course", "index": 3, "all": [first, second]}
    assert site([first, second], "series") != made_after


def test_an_essay_in_a_value_is_not_a_tuple_that_looks_like_its_stand_in():
    first, second = article("first"), article("second")
    first.neighbours = [second]
    by_object = digest.BuildDigests().content(first)
    # The tuple digest.py puts for `second`, as a value of its own.
    first.neighbours = [digest._plain(second)]
    assert digest.BuildDigests().content(first) != by_object
    first.neighbours = [second]
    assert digest.BuildDigests().content(first) == by_object


def test_a_value_that_cannot_be_digested_says_so():
    essay = article("first")
    essay.loop = []
    essay.loop.append(essay.loop)
    with pytest.raises(digest.Undigestible):
        digest.BuildDigests().content(essay)
    del essay.loop
    essay.helper = lambda: "not picklable"
    with pytest.raises(digest.Undigestible):
        digest.BuildDigests().content(essay)


def test_two_essays_of_one_source_stay_two_keys():
    """A cached essay and one read again have one source path: as keys of
    one dict they must not collapse into one."""
    first, again = article("first"), article("first")
    holder = article("holder")
    holder.counts = {first: 1, again: 2}
    both = digest.BuildDigests().content(holder)
    holder.counts = {again: 2}
    assert digest.BuildDigests().content(holder) != both
