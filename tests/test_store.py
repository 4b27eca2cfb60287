import numpy as np
import pytest
from sqlite_utils import Database

from claimcheck.archive.index import VectorIndex, load_index
from claimcheck.archive.migrations import SCHEMA_VERSION, migrations
from claimcheck.archive.store import Store
from claimcheck.errors import StoreError
from claimcheck.models import Article, Claim, Extraction, SpeakerInfo


def make_extraction(text: str) -> Extraction:
    i = text.index("the swap was agreed")
    claims = [
        Claim(
            speaker="Rustem Umerov",
            speaker_mention="Rustem Umerov",
            kind="indirect",
            quote=text[i : i + 19],
            assertion="Rustem Umerov said the swap was agreed",
            start=i,
            end=i + 19,
            paragraph=1,
        ),
        Claim(
            speaker="Financial Times",
            speaker_mention="",
            kind="unattributed",
            quote=text[:9],
            assertion=text[:9],
            start=0,
            end=9,
            paragraph=0,
        ),
    ]
    speakers = [
        SpeakerInfo(name="Rustem Umerov", role="defence minister", mentions=["Umerov"]),
        SpeakerInfo(name="Financial Times", kind="outlet"),
    ]
    return Extraction(claims=claims, speakers=speakers)


TEXT = "Talks end\nRustem Umerov said the swap was agreed on Friday.\n"


def test_migrations_create_the_schema_on_a_blank_database(tmp_path):
    db = Database(tmp_path / "blank.db")
    migrations.apply(db)
    tables = set(db.table_names())
    assert {
        "articles",
        "speakers",
        "speaker_aliases",
        "claims",
        "claims_fts",
        "embeddings",
        "submissions",
        "check_runs",
        "check_results",
        "flags",
        "flag_events",
        "meta",
    } <= tables
    assert {"quote", "assertion"} <= set(db["claims_fts"].columns_dict)
    assert not migrations.pending(db)


def test_add_article_is_atomic_and_idempotent(store):
    vectors = np.eye(2, 4, dtype=np.float32)
    article = Article(text=TEXT, outlet="Financial Times")
    ids = store.add_articles([(article, make_extraction(TEXT), vectors)], model="m")
    assert ids[0] is not None
    again = store.add_articles([(article, make_extraction(TEXT), vectors)], model="m")
    assert again == [None]
    assert store.claim_count() == 2
    stored = list(store.claims())
    for s in stored:
        assert TEXT[s.claim.start : s.claim.end] == s.claim.quote


def test_a_failing_article_leaves_nothing_behind(store):
    bad_vectors = np.eye(1, 4, dtype=np.float32)  # one vector for two claims
    with pytest.raises(ValueError):
        store.add_articles([(Article(text=TEXT), make_extraction(TEXT), bad_vectors)], model="m")
    assert store.db["articles"].count == 0
    assert store.db["claims"].count == 0


def test_speakers_merge_across_spellings(store):
    text2 = "Other story\nRustem Umierov said the swap was agreed again.\n"
    ex2 = make_extraction(text2.replace("Umierov", "Umerov"))
    ex2.claims[0].speaker = "Rustem Umierov"
    ex2.speakers[0].name = "Rustem Umierov"
    v = np.eye(2, 4, dtype=np.float32)
    store.add_articles([(Article(text=TEXT), make_extraction(TEXT), v)], model="m")
    store.add_articles([(Article(text=text2), ex2, v)], model="m")
    people = [s for s in store.speakers() if s.kind == "person"]
    assert len(people) == 1
    assert people[0].claim_count == 2
    assert "Rustem Umierov" in people[0].aliases
    assert [h[2] for h in store.find_speakers("umerov")] == [people[0].name]


def test_vectors_round_trip_and_search(store):
    rng = np.random.default_rng(0)
    v = rng.normal(size=(2, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    store.add_articles([(Article(text=TEXT), make_extraction(TEXT), v)], model="m")
    ids, matrix = store.load_vectors("m")
    assert matrix.dtype == np.float32 and np.allclose(matrix, v)
    index = load_index(store, "m")
    top_ids, scores = index.search(v[1:2], k=2)
    assert top_ids[0][0] == ids[1]
    assert scores[0][0] == pytest.approx(1.0, abs=1e-5)


def test_index_search_matches_brute_force():
    rng = np.random.default_rng(1)
    m = rng.normal(size=(500, 16)).astype(np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    q = m[:7] + 0.1 * rng.normal(size=(7, 16)).astype(np.float32)
    index = VectorIndex(ids=np.arange(10, 510, dtype=np.int64), matrix=m)
    ids, scores = index.search(q, k=5)
    brute = np.argsort(-(q @ m.T), axis=1)[:, :5] + 10
    assert (ids == brute).all()
    assert (np.diff(scores, axis=1) <= 0).all()


def test_not_sqlite_file_is_refused(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("this is not a database")
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store.open(bad)


def test_newer_schema_is_refused(db_path):
    s = Store.open(db_path)
    s.db.execute("update meta set value = '99' where key = 'schema_version'")
    s.db.conn.commit()
    s.close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(db_path)


def test_missing_database_without_create(tmp_path):
    with pytest.raises(StoreError, match="No database"):
        Store.open(tmp_path / "none.db", create=False)


def test_the_same_name_typed_differently_is_one_speaker(store):
    from claimcheck.models import SpeakerInfo

    first = store.resolve_speaker(SpeakerInfo(name="Keir Starmer", kind="organisation"))
    second = store.resolve_speaker(SpeakerInfo(name="Keir Starmer", kind="person"))
    kyiv = store.resolve_speaker(SpeakerInfo(name="Kyiv", kind="person"))
    assert first == second
    assert store.resolve_speaker(SpeakerInfo(name="Kyiv", kind="organisation")) == kyiv
    assert (
        store.resolve_speaker(SpeakerInfo(name="Vladimir Putin"))[0]
        != store.resolve_speaker(SpeakerInfo(name="Vladimir Medinsky"))[0]
    )


def test_rewriting_a_vector_is_counted_but_appending_is_not(store):
    def rewrites() -> int:
        return int(
            store.db.execute("select value from meta where key='vectors_rewrites'").fetchone()[0]
        )

    v = np.eye(2, 4, dtype=np.float32)
    store.add_articles([(Article(text=TEXT), make_extraction(TEXT), v)], model="m")
    text2 = TEXT.replace("Talks end", "Talks go on")
    store.add_articles([(Article(text=text2), make_extraction(text2), v)], model="m")
    assert rewrites() == 0
    with store.db.atomic():
        store.db.execute("update embeddings set model = 'm' where claim_id = 1")
    assert rewrites() == 1
    with store.db.atomic():
        store.db.execute(
            "insert or replace into embeddings (claim_id, model, dimensions, vector) "
            "values (1, 'm', 4, x'00000000000000000000000000000000')"
        )
    assert rewrites() >= 2
    assert store.db.execute("select value from meta where key='schema_version'").fetchone()[
        0
    ] == str(SCHEMA_VERSION)
