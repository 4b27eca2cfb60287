"""A stored claim from another story is no candidate: two articles that each name people, and no
one in common, are about different things however alike their words."""

from __future__ import annotations

from claimcheck.check import same_story_only
from claimcheck.judge import story
from claimcheck.models import StoredClaim
from tests.test_detectors import claim

TALKS = (
    "The meeting was chaired by Turkish foreign minister Hakan Fidan. Vladimir Medinsky, who "
    "headed the Russian delegation, expressed satisfaction. Rustem Umerov led Kyiv's team."
)
DOCK_STRIKE = (
    "The talks between the dockers' union and the port operator were chaired by mediator Ayşe "
    "Fidan. Union leader Deniz Arslan said she was satisfied with how the talks went, and "
    "Mehmet Kaya, for the employers, agreed."
)
SAME_STORY = (
    "Vladimir Medinskiy said Moscow was satisfied. Andrii Sybiha, Ukraine's foreign minister, "
    "disagreed."
)


def test_people_are_full_names_less_titles():
    assert story.people(TALKS) == {"Hakan Fidan", "Vladimir Medinsky", "Rustem Umerov"}
    assert "President Putin" not in story.people("President Putin did not turn up.")


def test_another_story_names_no_one_in_common():
    talks = story.people(TALKS)
    assert story.other_story(story.people(DOCK_STRIKE), talks)  # Ayşe Fidan is not Hakan Fidan
    assert not story.other_story(story.people(SAME_STORY), talks)  # Medinskiy is Medinsky
    # too few names to tell: never set apart
    assert not story.other_story(story.people("Medinsky's aide Ivan Petrov spoke."), talks)


class _Store:
    def __init__(self, texts: dict[int, str]) -> None:
        self.texts = texts
        self.reads = 0

    def get_article(self, article_id: int) -> dict[str, str] | None:
        self.reads += 1
        return {"text": self.texts[article_id]} if article_id in self.texts else None


def _stored(article_id: int) -> StoredClaim:
    c = claim("Medinsky said they were satisfied with how the talks went")
    c.article_id = article_id
    return StoredClaim(c)


def test_the_checker_drops_candidates_from_another_story_only():
    store = _Store({1: TALKS, 2: DOCK_STRIKE})
    candidates = [[(_stored(1), 0.8), (_stored(2), 0.7)], [(_stored(1), 0.5)]]
    kept = same_story_only(store, DOCK_STRIKE, candidates)  # type: ignore[arg-type]
    assert [[s.claim.article_id for s, _ in pairs] for pairs in kept] == [[2], []]
    assert store.reads == 2  # each stored article is read once per check
    # an article that names nobody keeps every candidate
    assert same_story_only(store, "The talks lasted two hours.", candidates) == candidates  # type: ignore[arg-type]


def test_a_surname_in_lower_case_or_alone_names_the_person():
    talks = story.people(TALKS)
    chat = (
        "[10:11] mara.k: Umerov. defence minister, heads the ukrainian team\n"
        "[12:36] tomasz.w: medinsky, to reporters outside. Lakeside Evening Post, Dmytro Kuleba"
    )
    speakers = {"Rustem Umerov", "Vladimir Medinsky", "Financial Times"}
    assert len(story.people(chat)) >= story.MIN_PEOPLE  # it names enough people to judge
    assert not story.other_story(story.people(chat), talks, chat, speakers)
    # one surname alone is too little; someone else's Fidan is still someone else; the stored
    # article's capitalised runs that are no one's names ("Financial Times") do not count
    assert story.other_story(story.people(chat), talks, chat, {"Rustem Umerov"})
    fidan = {"Hakan Fidan", "Vladimir Medinsky"}
    assert story.other_story(story.people(DOCK_STRIKE), talks, DOCK_STRIKE, fidan)
    rowing = "The Financial Times and the rowing community: Deniz Arslan and Mehmet Kaya agreed."
    assert story.other_story(story.people(rowing), talks, rowing, speakers)
