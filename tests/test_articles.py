"""Every article a rule or scoring step cites is quoted verbatim in docs/official-texts.md."""

import re
from pathlib import Path

import pytest

from jixiao import articles

DOC = Path(__file__).parents[1] / "docs" / "official-texts.md"


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("article", articles.ALL, ids=lambda a: a.cite)
def test_quote_is_in_the_document(article):
    assert _bare(article.quote) in _bare(DOC.read_text(encoding="utf-8"))
