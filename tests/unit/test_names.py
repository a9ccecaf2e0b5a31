import pytest

from jumelage.domain.names import fold, fold_alt, fold_variants


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Köln", "koln"),
        ("KOLN", "koln"),
        ("Košice", "kosice"),
        ("Neukölln (Berlin)", "neukolln berlin"),
        ("Berlin – Neukölln", "berlin neukolln"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
        ("Ålesund", "alesund"),
        ("Saint-Étienne", "saint etienne"),
        ("Ch’ŏngjin", "chongjin"),
    ],
)
def test_folding_drops_case_accents_and_punctuation(raw, folded):
    assert fold(raw) == folded


def test_umlauts_have_an_alternative_spelling_with_e():
    assert fold_alt("Köln") == "koeln"
    assert fold_alt("Paris") is None
    assert fold_variants("Münster") == {"munster", "muenster"}
