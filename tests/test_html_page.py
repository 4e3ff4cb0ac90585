"""html_page: the same lines as the flattener, plus the per-line DOM feature matrix."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys

import numpy as np

from tests.conftest import corpus_or_skip
from tests.test_html import PAGE
from workers.core.heuristics.dom_features import DOM_FEATURE_INDEX, DOM_FEATURE_REASONS, DOM_FEATURES
from workers.core.stages.html import flatten_html_lines, html_page

# The column order is a contract with the trained model: append only. These are the
# columns as first released; a rename or reorder fails here.
FIRST_RELEASE = (
    "depth", "block_tag", "start_tag", "heading_level", "path_bucket", "path_share", "path_class_share",
    "link_density", "container_link_density", "container_lines", "container_chars_per_line", "line_links",
    "anc_nav", "anc_aside", "anc_header", "anc_footer", "anc_form", "anc_main", "anc_article", "anc_section",
    "anc_role_chrome", "anc_button", "anc_blockquote", "anc_pre", "anc_figure", "anc_address", "anc_time",
    "anc_link", "list_depth", "in_li", "table_depth", "in_cell", "itemprop_any", "itemprop_body",
    "itemprop_headline", "itemprop_author", "itemprop_date", "itemprop_comment",
    *(f"class_own_{i}" for i in range(8)), *(f"class_anc_{i}" for i in range(8)),
    "rule_html_dom", "rule_article_level", "rule_comments", "rule_comment_author", "rule_title",
    "rule_title_marked", "rule_title_match",
)


def _row(lines, dom, text):
    i = next(k for k, ln in enumerate(lines) if ln.text == text)
    return {name: float(dom[i, DOM_FEATURE_INDEX[name]]) for name in DOM_FEATURES}


def test_feature_names_are_append_only_and_explained():
    assert DOM_FEATURES[:len(FIRST_RELEASE)] == FIRST_RELEASE
    assert len(set(DOM_FEATURES)) == len(DOM_FEATURES)
    assert all(len(DOM_FEATURE_REASONS[n]) > 20 for n in DOM_FEATURES)


def test_html_page_lines_equal_flattener_and_matrix_shape():
    lines, dom, meta = html_page(PAGE)
    flat, meta2 = flatten_html_lines(PAGE)
    assert [(ln.n, ln.text, ln.reason, ln.hint) for ln in lines] == [(ln.n, ln.text, ln.reason, ln.hint)
                                                                      for ln in flat]
    assert meta == meta2 and meta["title"] == "Big news"
    assert dom.dtype == np.float32 and dom.shape == (len(lines), len(DOM_FEATURES))
    assert np.isfinite(dom).all()


def test_structural_features():
    lines, dom, _ = html_page(PAGE)
    home = _row(lines, dom, "Home")
    assert home["anc_nav"] == 1 and home["anc_header"] == 1 and home["link_density"] == 1.0
    assert home["in_li"] == 1 and home["list_depth"] == 1 and home["rule_html_dom"] == 1
    assert home["start_tag"] != home["block_tag"]  # starts in <a>, block <li>
    para = _row(lines, dom, "First paragraph of the story.")
    assert para["anc_article"] == 1 and para["anc_main"] == 1 and para["rule_article_level"] == 2
    assert para["link_density"] == 0 and para["anc_nav"] == 0 and para["rule_html_dom"] == 0
    assert para["depth"] == 3 and home["depth"] == 5  # main>article>p, header>nav>ul>li>a
    title = _row(lines, dom, "Big news")
    assert title["heading_level"] == 1 and title["rule_title"] == 1 and title["rule_title_marked"] == 1
    assert title["rule_title_match"] == 1 and para["rule_title_match"] == 0
    assert _row(lines, dom, "A subheading")["heading_level"] == 2
    bob = _row(lines, dom, "Bob Stone says:")
    assert bob["rule_comments"] == 1 and bob["rule_comment_author"] == 1
    assert _row(lines, dom, "Nice post, thanks.")["rule_comment_author"] == 0
    assert _row(lines, dom, "Leave a Reply")["anc_form"] == 1


def test_tables_time_itemprops_and_repeated_slots():
    html = """<html><body><div class="posts">
      <div class="post"><span itemprop="author">Ann</span> <time datetime="2024-01-02">2 Jan</time></div>
      <div class="post"><span itemprop="author">Bo</span> <time datetime="2024-01-03">3 Jan</time></div>
      <div class="post"><span itemprop="author">Cy</span> <time datetime="2024-01-04">4 Jan</time></div>
      </div><table><tr><td>cell one</td><td><table><tr><th>inner</th></tr></table></td></tr></table>
      <p>Read <a href="/x">this</a> and <a href="/y">that</a>.</p>
      <div role="navigation"><span>menu text</span></div></body></html>"""
    lines, dom, _ = html_page(html)
    ann = _row(lines, dom, "Ann 2 Jan")
    assert ann["itemprop_author"] == 1 and ann["itemprop_any"] == 1 and ann["itemprop_date"] == 0
    assert ann["path_share"] == ann["path_class_share"] == np.float32(3 / len(lines))
    cell, inner = _row(lines, dom, "cell one"), _row(lines, dom, "inner")
    assert cell["in_cell"] == 1 and cell["table_depth"] == 1 and inner["table_depth"] == 2
    links = _row(lines, dom, "Read this and that.")
    assert links["line_links"] == 2 and 0 < links["link_density"] < 0.5
    assert _row(lines, dom, "menu text")["anc_role_chrome"] == 1
    t_lines, t_dom, _ = html_page('<p>On <time datetime="2024-01-02">2 Jan</time></p>')
    assert _row(t_lines, t_dom, "On 2 Jan")["anc_time"] == 0  # the line starts before the <time>
    t_lines, t_dom, _ = html_page('<p><time datetime="2024-01-02">2 Jan</time> by Ann</p>')
    assert _row(t_lines, t_dom, "2 Jan by Ann")["anc_time"] == 1


def test_empty_input_gives_empty_matrix():
    for html in ("", "   ", "<html></html>", "<script>x</script>"):
        lines, dom, _meta = html_page(html)
        assert lines == [] and dom.shape == (0, len(DOM_FEATURES))


def test_matrix_is_the_same_in_another_process():
    """Hash buckets are CRC-based, not Python's salted hash(): a model trained in one
    process reads the same columns in another."""
    code = ("import sys, numpy as np; from tests.test_html import PAGE; "
            "from workers.core.stages.html import html_page; "
            "sys.stdout.buffer.write(html_page(PAGE)[1].tobytes())")
    outs = [subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}, cwd=str(_repo())).stdout
            for seed in ("1", "2")]
    assert outs[0] == outs[1] == html_page(PAGE)[1].tobytes()


def _repo():
    from pathlib import Path
    return Path(__file__).resolve().parent.parent


def test_dev_pages_lines_equal_flattener():
    """On real pages: html_page's lines are the flattener's, row for row."""
    corpus = corpus_or_skip()
    with gzip.open(corpus / "html-dev" / "wcxb-dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 15:
                break
            page = json.loads(line)["html"]
            lines, dom, meta = html_page(page)
            flat, meta2 = flatten_html_lines(page)
            assert [(ln.text, ln.reason, ln.hint) for ln in lines] == [(ln.text, ln.reason, ln.hint)
                                                                        for ln in flat]
            assert meta == meta2 and dom.shape == (len(lines), len(DOM_FEATURES))
            assert np.isfinite(dom).all() and (dom[:, DOM_FEATURE_INDEX["link_density"]] <= 1).all()


def test_pathological_nesting_is_flattened_without_dom_evidence():
    """Lexbor's tree builder is quadratic in nesting depth: such pages go through the
    linear-time fallback, with their text and an all-NaN matrix (no DOM evidence)."""
    from workers.core.stages.html import MAX_NESTING_WORK, nesting_work
    deep = "<html><body>" + "<div>" * 100_000 + "deep text" + "</div>" * 100_000 + "</body></html>"
    assert nesting_work(deep) > MAX_NESTING_WORK
    lines, dom, meta = html_page(deep)
    assert [ln.text for ln in lines] == ["deep text"] and np.isnan(dom).all() and meta == {}
    wide = "<html><body>" + "<div><p>x</p></div>" * 20_000 + "</body></html>"  # many tags, shallow
    assert nesting_work(wide) < MAX_NESTING_WORK
    assert nesting_work("</div>" * 50_000 + "<div>" * 100) < MAX_NESTING_WORK  # stray end tags
    assert nesting_work("</div>" * 50_000 + "<div>" * 20_000) > MAX_NESTING_WORK
