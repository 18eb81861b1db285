"""A small multistream dump written by the tests themselves: a header stream (site information),
streams of pages, a footer stream, each its own bz2 stream, and the index
(``offset:page_id:title`` per page, bz2) beside it, as zh.wikipedia publishes them.

The pages cover what a task meets in a real dump: articles in both scripts with references,
links and categories, a redirect, a page of another namespace, a deleted text and a Lua module.
"""

import bz2
import os
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[3]

HEADER = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="zh">
  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>zhwiki</dbname>
    <base>https://zh.wikipedia.org/wiki/Wikipedia:%E9%A6%96%E9%A1%B5</base>
    <generator>MediaWiki 1.44.0-wmf.1</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="4" case="first-letter">Wikipedia</namespace>
      <namespace key="828" case="first-letter">模块</namespace>
    </namespaces>
  </siteinfo>
"""
FOOTER = "</mediawiki>\n"

# (title, namespace, page id, text or None for a deleted text, model, redirect target)
ARTICLES = [
    ("巴库", 0, 11, "'''巴库'''是[[阿塞拜疆]]的首都，位于[[里海]]西岸。<ref>{{cite web|url=https://example.org/baku|title=巴库概况|date=2020-05-01}}</ref>\n\n== 历史 ==\n巴库在中世纪是商业城市。\n\n== 参考资料 ==\n<references />\n\n[[Category:阿塞拜疆城市]]", "wikitext", None),
    ("阿塞拜疆", 0, 12, "", "wikitext", "阿塞拜疆共和国"),
    ("塔林", 0, 13, "'''塔林'''（{{lang-et|Tallinn}}）是[[愛沙尼亞]]的首都與最大城市。<ref name=\"a\">{{cite book|title=波羅的海諸國|publisher=某出版社|year=2015|isbn=9787100000000}}</ref>塔林舊城被列為世界遺產。<ref name=\"a\" />\n\n== 參考資料 ==\n{{reflist}}", "wikitext", None),
    ("Wikipedia:关于", 4, 14, "'''维基百科'''是一个自由的百科全书。", "wikitext", None),
    ("被删除的页面", 0, 15, None, "wikitext", None),
    ("模块:Example", 828, 16, "return {}", "Scribunto", None),
    ("里海", 0, 17, "'''里海'''是世界上最大的湖泊，沿岸有[[巴库]]等城市。\n\n* 面积：371,000平方公里\n* 最深处：1,025米", "wikitext", None),
    ("阿塞拜疆共和国", 0, 18, "'''阿塞拜疆共和国'''，通称'''阿塞拜疆'''，首都[[巴库]]。<ref>[https://example.org/az 阿塞拜疆简介]. 2021年3月4日.</ref>\n\n== 参考资料 ==\n<references/>", "wikitext", None),
    ("Perl", 0, 19, "'''Perl'''是一种[[编程语言]]，由[[拉里·沃尔]]于1987年发布。", "wikitext", None),
    ("爱沙尼亚", 0, 20, "'''爱沙尼亚'''是位于[[波罗的海]]东岸的国家，首都[[塔林]]。", "wikitext", None),
]

# A page whose id collides with Perl's (ids are compared case-insensitively): a whole run names it
# PERL~2 and reports the title twice (K004) and spelled two ways (K002).
PERL = ("PERL", 0, 21, "'\'\'PERL'\'\'是[[Perl]]的另一种写法。", "wikitext", None)


def page_xml(title, namespace, page_id, text, model, redirect):
    redirect_xml = f'    <redirect title="{escape(redirect, {chr(34): "&quot;"})}" />\n' if redirect else ""
    if text is None:
        text_xml = '      <text deleted="deleted" />\n'
    else:
        text_xml = f'      <text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>\n'
    content_format = "text/plain" if model == "Scribunto" else "text/x-wiki"
    return (
        f"  <page>\n    <title>{escape(title)}</title>\n    <ns>{namespace}</ns>\n    <id>{page_id}</id>\n"
        f"{redirect_xml}    <revision>\n      <id>{page_id * 10}</id>\n      <parentid>{page_id * 10 - 3}</parentid>\n"
        f"      <timestamp>2026-01-{page_id:02d}T00:10:00Z</timestamp>\n"
        f"      <contributor>\n        <username>編者</username>\n        <id>1001</id>\n      </contributor>\n"
        f"      <model>{model}</model>\n      <format>{content_format}</format>\n{text_xml}"
        f"      <sha1>0</sha1>\n    </revision>\n  </page>\n"
    )


def write_dump(folder, pages_per_stream=3, articles=ARTICLES, name="zhwiki-20261201-pages-articles"):
    """Writes `<name>-multistream.xml.bz2` and its index into `folder`; returns the dump's path and
    the streams as (offset, first page id, page count)."""
    folder = Path(folder)
    dump = folder / f"{name}-multistream.xml.bz2"
    index = folder / f"{name}-multistream-index.txt.bz2"
    data = bytearray(bz2.compress(HEADER.encode()))
    index_lines = []
    streams = []
    for start in range(0, len(articles), pages_per_stream):
        group = articles[start : start + pages_per_stream]
        offset = len(data)
        streams.append((offset, group[0][2], len(group)))
        data += bz2.compress("".join(page_xml(*page) for page in group).encode())
        index_lines += [f"{offset}:{page[2]}:{page[0]}\n" for page in group]
    data += bz2.compress(FOOTER.encode())
    dump.write_bytes(bytes(data))
    index.write_bytes(bz2.compress("".join(index_lines).encode()))
    return dump, streams


def zhnorm_binary():
    """The `zhnorm` binary the tests compare with: $ZHNORM_BIN, else the workspace's debug build."""
    explicit = os.environ.get("ZHNORM_BIN")
    if explicit:
        return explicit
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return str(target / "debug" / "zhnorm")


def run_cli(*args, stdin=None):
    """Runs `zhnorm` with `args` and returns its standard output; fails the test on an error."""
    result = subprocess.run(
        [zhnorm_binary(), *map(str, args)],
        input=stdin,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"zhnorm {' '.join(map(str, args))} failed: {result.stderr.decode()}")
    return result.stdout
