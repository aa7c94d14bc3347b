"""The published documents' renderer (gateway/documents.py): one HTML, and the same as a PDF whose text
is real Chinese text with its table of contents."""

import io

import pypdf
import pytest

from gateway import documents


@pytest.fixture
def template(tmp_path, monkeypatch):
    (tmp_path / "document.html").write_text((documents.TEMPLATES / "document.html").read_text(encoding="utf-8"))
    (tmp_path / "sample.html").write_text(
        '{% extends "document.html" %}{% block body %}{% for s in sections %}'
        '<h2 id="{{ s.id }}">{{ s.title }}</h2><p>{{ s.text }}</p>{% endfor %}{% endblock %}',
        encoding="utf-8",
    )
    monkeypatch.setattr(
        documents,
        "_env",
        documents.jinja2.Environment(
            loader=documents.jinja2.FileSystemLoader(tmp_path),
            autoescape=True,
            undefined=documents.jinja2.StrictUndefined,
        ),
    )
    return "sample.html"


SECTIONS = [
    {"id": "standards", "title": "服务标准", "text": "有线电视报装，时限 3 个工作日，费用 0 元。"},
    {"id": "guides", "title": "政务服务指南", "text": "城乡居民养老保险参保登记，跑零次。"},
]


def test_the_page_has_its_cover_contents_and_sections(template):
    page = documents.html(
        template, title="服务标准手册", version="2026.2", effective_date="2026-12-01", sections=SECTIONS
    )
    assert "版本 2026.2 · 自 2026-12-01 起施行" in page
    assert '<a href="#standards">1. 服务标准</a>' in page and 'id="guides"' in page


def test_the_pdf_is_the_same_text_in_chinese_with_bookmarks(template):
    page = documents.html(
        template, title="服务标准手册", version="2026.2", effective_date="2026-12-01", sections=SECTIONS
    )
    reader = pypdf.PdfReader(io.BytesIO(documents.pdf(page)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert (
        "服务标准手册" in text and "时限 3 个工作日" in text and "跑零次" in text
    )  # a missing CJK font extracts as garbage
    assert [o["/Title"] for o in reader.outline][-2:] == ["服务标准", "政务服务指南"]


def test_a_missing_figure_fails_the_render_instead_of_printing_nothing(template):
    with pytest.raises(documents.jinja2.UndefinedError):
        documents.html(template, title="服务标准手册", version="2026.2", sections=SECTIONS)
