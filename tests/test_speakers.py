from claimcheck.archive.speakers import fold_token, query_matches, same_organisation, same_person


def test_transliterations_are_one_person():
    for variant in [
        "Zelensky",
        "Zelenskyy",
        "Zelenskiy",
        "Volodymyr Zelenskyy",
        "President Zelenskyy",
    ]:
        assert same_person(variant, "Volodymyr Zelenskyy"), variant
    assert same_person("Rustem Umierov", "Rustem Umerov")
    assert same_person("Sir Keir Starmer", "Keir Starmer")


def test_same_given_name_different_surname_are_two_people():
    assert not same_person("Vladimir Putin", "Vladimir Medinsky")
    assert not same_person("Donald Trump", "Donald Tusk")


def test_same_surname_different_given_name_are_two_people():
    assert not same_person("Boris Johnson", "Lyndon Johnson")


def test_fold_token_collapses_common_variants():
    assert fold_token("zelenskyy") == fold_token("zelensky") == fold_token("zelenskiy")
    assert fold_token("umierov") == fold_token("umerov")


def test_query_matches_partial_and_misspelt_names():
    assert query_matches("zelensky", "Volodymyr Zelenskyy", []) > 0
    assert query_matches("Zelenskky", "Volodymyr Zelenskyy", []) > 0  # typo
    assert query_matches("ZELENSKIY", "Volodymyr Zelenskyy", []) > 0
    assert query_matches("Umierov", "Rustem Umerov", []) > 0
    assert query_matches("von der leyen", "Ursula von der Leyen", []) > 0
    assert query_matches("Putin", "Vladimir Medinsky", []) == 0
    assert query_matches("", "Vladimir Medinsky", []) == 0


def test_accents_do_not_matter():
    assert query_matches("Dolmabahce", "Dolmabahçe", []) > 0
    assert same_organisation("Reuters", "REUTERS")


def test_one_letter_off_still_finds_the_speaker():
    assert query_matches("Volodimir", "Volodymyr Zelenskyy", []) > 0  # i for y
    assert query_matches("Volodimir Zelensky", "Volodymyr Zelenskyy", []) > 0
    assert query_matches("von der leyn", "Ursula von der Leyen", []) > 0  # a letter left out
    assert query_matches("Zelenskt", "Volodymyr Zelenskyy", []) > 0
    assert query_matches("Musk", "Donald Tusk", []) == 0  # a short name's first letter counts
    assert query_matches("Tusk", "Donald Tusk", []) == 100


def test_suggestions_name_the_nearest_speakers():
    from claimcheck.archive.speakers import suggestions

    names = ["Volodymyr Zelenskyy", "Vladimir Putin", "Rustem Umerov"]
    assert suggestions("Zelnsky", names)[0] == "Volodymyr Zelenskyy"
    assert suggestions("qqqq", names) == []
    assert suggestions("", names) == []
