"""Check a new article against the archive: extract, retrieve, judge, record.

The coordinator of the checking pipeline. For every claim of the submitted article it gathers
candidate stored claims from three sources — nearest neighbours by embedding (one matrix product
for the whole article), keyword search (FTS5) and the same canonical speaker — has the judge
relate each pair, and lets the judge decide the claim's verdict. Writing the run and its flags is
`review.record_check`'s job; this module only decides.
"""

from __future__ import annotations

import numpy as np

from .archive import Store, claim_texts, load_index, resolve_roles, speaker_upkeep
from .archive import speakers as sp
from .embed import Embedder
from .judge import Judge, story
from .models import Article, CheckReport, Extraction, StoredClaim
from .review import record_check

TOP_K = 8  # embedding neighbours judged per claim
KEYWORD_K = 4  # keyword hits judged per claim
SPEAKER_K = 3  # best same-speaker claims judged per claim
MIN_SIMILARITY = 0.2  # below this a candidate is not worth judging
DETAIL_K = 2  # keyword hits judged per kind of detail the claim states

# A changed detail hides in stored claims that state the same *kind* of detail: "met on Thursday"
# shares no rare word with "ended on Friday", yet that is the claim it contradicts.
DETAIL_KINDS: dict[str, tuple[str, ...]] = {
    "weekday": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "month": (
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    ),
    "duration": ("hour", "hours", "minute", "minutes"),
    "period": ("year", "years", "month", "months", "week", "weeks", "since"),
}  # fmt: skip


NEGATION_WORDS = ("not", "no", "never", "without", "nothing", "none")


def _speaker_ids(store: Store, extraction: Extraction) -> dict[str, list[int]]:
    """Stored speaker ids for each speaker of the new article (read-only: nothing is created)."""
    out: dict[str, list[int]] = {}
    kinds = {s.name: s.kind for s in extraction.speakers}
    for claim in extraction.claims:
        if claim.speaker in out:
            continue
        kind = kinds.get(claim.speaker, "outlet" if claim.kind == "unattributed" else "person")
        candidates = store.speaker_candidates(claim.speaker, kind)
        found = sp.match_speaker(claim.speaker, kind, candidates)
        out[claim.speaker] = [found.id] if found else []
    return out


def complete_speaker_names(store: Store, extraction: Extraction) -> None:
    """Give a speaker the article names only by surname the archive's full name.

    A live blog says "Starmer" throughout; the archive knows "Keir Starmer". Only an unambiguous
    match is used: a surname shared by two stored people is left as the article wrote it.
    """
    renamed: dict[str, str] = {}
    for info in extraction.speakers:
        # A lone capitalised surname is often typed as an organisation by the tagger.
        if info.kind not in ("person", "organisation") or len(sp.name_tokens(info.name)) != 1:
            continue
        people = [
            c
            for c in store.speaker_candidates(info.name, "person")
            if sp.is_person(c.kind) and sp.same_person(info.name, c.name)
        ]
        if len(people) == 1 and len(sp.name_tokens(people[0].name)) > 1:
            renamed[info.name] = people[0].name
    for info in extraction.speakers:
        if info.name in renamed:
            info.mentions.append(info.name)
            info.name, info.kind = renamed[info.name], "person"
    for claim in extraction.claims:
        claim.speaker = renamed.get(claim.speaker, claim.speaker)


def check_article(
    store: Store,
    article: Article,
    *,
    embedder: Embedder,
    judge: Judge,
    record: bool = True,
    save: bool = False,
    top_k: int = TOP_K,
) -> CheckReport:
    """Judge every claim of `article` against the stored claims; optionally record and save."""
    import time

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    from .extract import extract_claims  # spaCy (and torch) load on the first check, not import

    extraction = extract_claims(article.text, article.outlet)
    # The archive's names for the article's speakers, decided as ingest decides them: the output,
    # the flags, the review filters and ClaimReview then name one person however it is spelt.
    resolve_roles(article.text, extraction)
    complete_speaker_names(store, extraction)
    speaker_upkeep.match_archive_speakers(store, extraction)
    timings["extract"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    vectors = embedder.encode(claim_texts(extraction))
    timings["encode"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    candidates = gather_candidates(store, extraction, vectors, embedder.name, top_k)
    candidates = same_story_only(store, article.text, candidates)
    timings["retrieve"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    groups = [
        [(claim, stored, sim) for stored, sim in pairs]
        for claim, pairs in zip(extraction.claims, candidates, strict=True)
    ]
    verdicts = [
        judge.decide(claim, matches)
        for claim, matches in zip(extraction.claims, judge.judge_groups(groups), strict=True)
    ]
    timings["judge"] = time.perf_counter() - t0

    report = CheckReport(article=article, extraction=extraction, verdicts=verdicts, timings=timings)
    if record or save:
        t0 = time.perf_counter()
        record_check(
            store, report, vectors=vectors, model=embedder.name, judge_name=judge.name, save=save
        )
        timings["record"] = time.perf_counter() - t0
    return report


def same_story_only(
    store: Store, text: str, candidates: list[list[tuple[StoredClaim, float]]]
) -> list[list[tuple[StoredClaim, float]]]:
    """The candidates less the stored claims whose article is about another story: the two
    articles each name people, and no one in common (`judge.story`). An article about a dock
    strike at an Istanbul palace that repeats the talks' words does not agree with the talks."""
    new_people = story.people(text)
    if len(new_people) < story.MIN_PEOPLE:
        return candidates
    # who speaks in each stored article, among the candidates (a chat log may name them in
    # lower case: `story.named_in`)
    speakers: dict[int | None, set[str]] = {}
    for pairs in candidates:
        for stored, _ in pairs:
            if stored.claim.kind != "unattributed" and stored.claim.speaker:
                speakers.setdefault(stored.claim.article_id, set()).add(stored.claim.speaker)
    other: dict[int | None, bool] = {}
    for pairs in candidates:
        for stored, _ in pairs:
            aid = stored.claim.article_id
            if aid not in other:
                row = store.get_article(aid) if aid is not None else None
                stored_people = story.people(row["text"]) if row else frozenset()
                other[aid] = story.other_story(
                    new_people, stored_people, text, speakers.get(aid, set())
                )
    return [[(s, sim) for s, sim in pairs if not other[s.claim.article_id]] for pairs in candidates]


def gather_candidates(
    store: Store,
    extraction: Extraction,
    vectors: np.ndarray,
    model: str,
    top_k: int = TOP_K,
) -> list[list[tuple[StoredClaim, float]]]:
    """For each new claim, the stored claims worth judging with their cosine similarity."""
    claims = extraction.claims
    if not claims:
        return []
    index = load_index(store, model)
    nn_ids, _ = index.search(vectors, top_k)
    speaker_ids = _speaker_ids(store, extraction)
    speaker_claims = {
        name: [cid for sid in ids for cid in store.speaker_claim_ids(sid)]
        for name, ids in speaker_ids.items()
    }
    wanted: list[list[int]] = []
    # found by their kind of detail: judged whatever their cosine ("they ran for eight hours"
    # against "wrapped up after just two hours" is 0.20; the detector reads the conflict)
    by_detail: list[set[int]] = []
    for i, claim in enumerate(claims):
        detail: set[int] = set()
        by_detail.append(detail)
        ids = [int(x) for x in nn_ids[i]] if nn_ids.shape[1] else []
        text = claim.assertion or claim.quote
        ids += store.keyword_candidates(text, limit=KEYWORD_K)
        words = set(sp.normalise(text).split())
        for terms in DETAIL_KINDS.values():
            if words.intersection(terms):
                # The detail words join the query: a claim that shares only the *kind* of detail
                # ("ended on Friday" for "met on Thursday") must still be found.
                query = f"{text} {' '.join(terms)}"
                found = store.keyword_candidates(query, limit=DETAIL_K, with_any_of=terms)
                ids += found
                detail.update(found)
        # A denial hides in stored claims that negate something ("Putin did not turn up" for
        # "Putin attended"): the best keyword hits among them are judged too.
        ids += store.keyword_candidates(text, limit=KEYWORD_K, with_any_of=NEGATION_WORDS)
        same = speaker_claims.get(claim.speaker) or []
        if same:
            sims = index.similarities(vectors[i], same)
            best = np.argsort(-sims)[:SPEAKER_K]
            ids += [same[j] for j in best]
        wanted.append(list(dict.fromkeys(ids)))
    stored = store.stored_claims(cid for ids in wanted for cid in ids)
    out: list[list[tuple[StoredClaim, float]]] = []
    for i, ids in enumerate(wanted):
        ids = [cid for cid in ids if cid in stored]
        sims = index.similarities(vectors[i], ids)
        pairs = [
            (stored[cid], float(sim))
            for cid, sim in zip(ids, sims, strict=True)
            if sim >= MIN_SIMILARITY or cid in by_detail[i]
        ]
        pairs.sort(key=lambda p: -p[1])
        out.append(pairs)
    return out
