"""The training batches: every pair once, grouped by length, the same on a resumed run.

Random batches of pairs of very different lengths pad most of them to the longest; the recipe
sorts each run of `GROUP` batches by length before cutting it, then shuffles the batches.
"""

from __future__ import annotations

import random

from claimcheck.training.recipe import GROUP, _batches


def rows_and_lengths(n: int, seed: int = 1):
    rng = random.Random(seed)
    rows = [{"id": i} for i in range(n)]
    lengths = [rng.choice([12, 20, 30, 60, 120]) + rng.randrange(5) for _ in range(n)]
    return rows, lengths


def test_every_pair_is_in_exactly_one_batch_of_the_size_asked():
    rows, lengths = rows_and_lengths(16 * GROUP * 2 + 37)
    batches = [b for _, b in _batches(rows, lengths, 16, 13, 0)]
    ids = [x["id"] for b in batches for x in b]
    assert sorted(ids) == list(range(len(rows)))
    assert len(batches) == -(-len(rows) // 16)
    assert sum(len(b) != 16 for b in batches) == 1  # only the last run's remainder


def test_batches_hold_pairs_of_like_length_and_pad_far_less_than_random_ones():
    rows, lengths = rows_and_lengths(16 * GROUP * 4)

    def padded(batches):
        return sum(max(lengths[x["id"]] for x in b) * len(b) for b in batches)

    grouped = [b for _, b in _batches(rows, lengths, 16, 13, 0)]
    plain = [rows[i : i + 16] for i in range(0, len(rows), 16)]
    assert padded(grouped) < 0.6 * padded(plain)
    assert padded(grouped) < 1.1 * sum(lengths)


def test_short_pairs_do_not_all_come_first():
    rows, lengths = rows_and_lengths(16 * GROUP * 4)
    means = [
        sum(lengths[x["id"]] for x in b) / len(b) for _, b in _batches(rows, lengths, 16, 13, 0)
    ]
    first, last = means[: len(means) // 2], means[len(means) // 2 :]
    assert min(first) < 20 and max(first) > 100 and min(last) < 20 and max(last) > 100
    assert means != sorted(means)


def test_a_resumed_run_takes_the_same_batches_from_its_step():
    rows, lengths = rows_and_lengths(16 * GROUP + 5)
    whole = list(_batches(rows, lengths, 16, 13, 0))
    resumed = list(_batches(rows, lengths, 16, 13, 20))
    assert resumed == whole[20:]
    assert [s for s, _ in resumed] == list(range(20, len(whole)))
    other_seed = [b for _, b in _batches(rows, lengths, 16, 14, 0)]
    assert other_seed != [b for _, b in whole]
