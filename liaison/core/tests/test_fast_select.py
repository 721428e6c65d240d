"""The filter forms' selects render exactly what Django's templates render, faster."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from liaison.core.forms import FastSelect, FastSelectMultiple, fast_selects

CHOICES: list[Any] = [
    ("a<b", 'x"&y'),
    (3, "trois"),
    ("groupe <g>", [("g1", "G <1>"), ("g2", "G2")]),
    ("", "---"),
]


@pytest.mark.parametrize(
    ("slow", "fast"), [(forms.Select, FastSelect), (forms.SelectMultiple, FastSelectMultiple)]
)
@pytest.mark.parametrize("value", [None, "a<b", ["3", "g2"], 3])
@pytest.mark.parametrize(
    "attrs", [None, {"class": "c", "required": True, "disabled": False, "data-x": 'q"'}]
)
def test_same_html_as_the_templates(slow: Any, fast: Any, value: Any, attrs: Any) -> None:
    expected = slow(attrs=attrs, choices=CHOICES).render("n<m", value, {"id": "id_n"})
    assert fast(attrs=attrs, choices=CHOICES).render("n<m", value, {"id": "id_n"}) == expected
    assert "<option" in expected


def test_other_templates_are_rendered_by_them() -> None:
    class Custom(FastSelect):
        option_template_name = "django/forms/widgets/input.html"

    html = Custom(choices=[("1", "one")]).render("n", None)
    assert "<option" not in html
    assert "<input" in html


def test_only_plain_selects_are_swapped() -> None:
    class Form(forms.Form):
        one = forms.ChoiceField(choices=[("1", "one")])
        many = forms.MultipleChoiceField(choices=[("1", "one")])
        radio = forms.ChoiceField(choices=[("1", "one")], widget=forms.RadioSelect)

    form = Form()
    fast_selects(form)
    assert type(form.fields["one"].widget) is FastSelect
    assert type(form.fields["many"].widget) is FastSelectMultiple
    assert type(form.fields["radio"].widget) is forms.RadioSelect


def test_table_signatures_are_django_tables2s() -> None:
    import django_tables2.utils

    from liaison.core.tables import _signature, cached_signature

    class Thing:
        def render(self, value: Any, record: Any, **kwargs: Any) -> None: ...

    def plain(record: Any, *args: Any) -> None: ...

    assert django_tables2.utils.signature is cached_signature
    for fn in (Thing().render, Thing().render, plain, plain, Thing.render, len):
        assert cached_signature(fn) == _signature(fn)
    assert cached_signature(Thing().render) == (("value", "record"), "kwargs")
    assert cached_signature(Thing.render) == (("self", "value", "record"), "kwargs")
