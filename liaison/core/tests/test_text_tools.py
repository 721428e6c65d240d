# ruff: noqa: RUF001
"""One text module and one rank vocabulary serve search, the intake, screening and the
synthetic data (issue 22, item 5)."""

from __future__ import annotations

from liaison.core import ranks
from liaison.core.text import fold, fold_aligned
from liaison.demo import synth
from liaison.intake.pipeline import rules
from liaison.vetting.screening.normalize import name_text, name_tokens


def test_the_plain_fold_reads_ascii_as_it_reads_the_rest() -> None:
    for text in ("Haidara", "N'Diaye  -- O_K", "HAÏDARA", "CEDEAO/ECOWAS", ""):
        assert fold(text) == fold(text + "é")[: len(fold(text))]
    assert fold("HAIDARA") == fold("Haïdara") == "haidara"


def test_the_aligned_fold_keeps_offsets_where_the_plain_fold_does_not() -> None:
    text = "L’état-major Œuvre à Ségou"
    assert len(fold_aligned(text)) == len(text)
    assert fold_aligned(text)[13:] == text[13:].lower().replace("à", "a").replace("é", "e")
    assert fold(text) == "l etat major œuvre a segou"


def test_intake_screening_and_synth_draw_from_the_one_vocabulary() -> None:
    assert ranks.forms(ranks.FRENCH) == rules.RANKS_FR
    assert ranks.forms(ranks.ENGLISH) == rules.RANKS_EN
    french = {r.name for r in ranks.FRENCH}
    assert [r for r in synth.RANKS if r]
    assert all(r in french for r in synth.RANKS if r)


def test_screening_drops_every_rank_of_the_vocabulary() -> None:
    for form in ranks.forms():
        for name in (f"{form} Moussa Traoré", f"{form} Moussa Traore"):
            assert name_tokens(name).tokens == ("musa", "traore"), name
            assert name_tokens(name).stripped == tuple(name_text(form).split()) or "'" in form


def test_the_intake_reads_ranks_it_did_not_know() -> None:
    hits: dict[str, rules.RuleHit] = {}
    for text in (
        "notamment le sergent-major Harouna Haïdara;",
        "said Private First Class Eric Lyon.",
    ):
        for h in rules.person_rules(text):
            hits.setdefault(h.text, h)
    assert hits["Harouna Haïdara"].rank == "sergent-major"
    assert hits["Eric Lyon"].rank == "Private First Class"
