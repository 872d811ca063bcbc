"""Reading what sources send: every format in the demo's four languages, and what a
hostile or broken source sends instead."""

from __future__ import annotations

import json

import pytest

from dateline.ingest.formats import (
    FormatError,
    extract_page,
    parse_feed,
    parse_newsml,
    parse_ninjs,
)

from .conftest import fixture, sample


def test_an_rss_feed_gives_headline_summary_clean_body_byline_time_and_link():
    items = parse_feed(sample("harbour-wire.rss"))
    assert [item.headline for item in items][
        0
    ] == "Ferry timetable changes as winter schedule begins"
    ferry = items[0]
    assert ferry.guid == "harbour-wire:ferry-winter-schedule"
    assert ferry.url == "https://wire.example.org/2026/ferry-winter-schedule"
    assert ferry.byline == "Mara Linden"
    assert ferry.language == "en"
    assert ferry.published_at.isoformat() == "2026-12-04T06:10:00+00:00"
    assert ferry.summary.startswith("Two evening crossings")
    assert "<h2>What changes for commuters</h2>" in ferry.body_html
    assert "<b>1,200 passengers</b>" in ferry.body_html
    assert "script" not in ferry.body_html and "track()" not in ferry.body_html


def test_an_atom_feed_in_azerbaijani():
    items = parse_feed(sample("xeber-xetti.atom"))
    assert len(items) == 2
    assert items[0].headline == "Şəhər kitabxanası gecə saatlarında da açıq olacaq"
    assert items[0].language == "az"
    assert items[0].byline == "Leyla Məmmədova"
    assert items[0].body_html.startswith("<p>Mərkəzi kitabxananın")


def test_ninjs_2_in_russian_with_html_and_plain_text_bodies():
    items = parse_ninjs(sample("severnoe-agentstvo.json"))
    assert [item.language for item in items] == ["ru", "ru"]
    greenhouses, bridge = items
    assert greenhouses.headline == "Фермеры долины запускают общие теплицы"
    assert greenhouses.guid == "urn:demo:severnoe:teplitsy"
    assert greenhouses.url == "https://severnoe.example.org/2026/teplitsy"
    assert greenhouses.byline == "Ирина Соколова"
    assert greenhouses.summary.startswith("Двенадцать хозяйств")
    # A plain-text body is split into paragraphs at blank lines.
    assert bridge.body_html.count("<p>") == 2


def test_ninjs_1_with_a_feature_picture_and_hostile_markup():
    data = fixture("ninjs-1.json").replace(b"PICTURE_BASE", b"https://pictures.example.org")
    [item] = parse_ninjs(data)
    assert item.headline == "Old quarry to become a swimming lake"
    assert item.summary.startswith("The council approves")
    assert item.byline == "Nora Vale"
    assert item.picture_url == "https://pictures.example.org/quarry.jpg"  # the largest
    assert item.picture_credit == "Valley Photo Agency"
    assert item.picture_caption == "The north face of the quarry seen from the road."
    assert "onclick" not in item.body_html and "iframe" not in item.body_html
    assert "A beach and a café" in item.body_html


def test_newsml_g2_in_armenian_with_xhtml_and_plain_text_items():
    items = parse_newsml(sample("hayluys.xml"))
    assert len(items) == 2
    fair, theatre = items
    assert fair.headline == "Ձմեռային տոնավաճառը կբացվի կենտրոնական հրապարակում"
    assert fair.guid == "urn:demo:hayluys:dzmerayin-shukan"
    assert fair.language == "hy"
    assert fair.byline == "Անի Հակոբյան"
    assert fair.url == "https://hayluys.example.org/2026/dzmerayin-shukan"
    assert fair.body_html.count("<p>") == 2 and "xmlns" not in fair.body_html
    assert theatre.body_html.count("<p>") == 2


def test_newsml_g2_picture_items_are_joined_to_the_story_that_links_them():
    data = b"""<?xml version="1.0"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>
 <newsItem guid="urn:t:text" xml:lang="en"><itemMeta><itemClass qcode="ninat:text"/>
  <link rel="irel:seeAlso" residref="urn:t:pic"/></itemMeta>
  <contentMeta><headline>Harbour crane replaced</headline></contentMeta>
  <contentSet><inlineData>The old crane is gone.</inlineData></contentSet></newsItem>
 <newsItem guid="urn:t:pic"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta>
  <contentMeta><headline>The new crane</headline><creditline>Port Photo</creditline></contentMeta>
  <contentSet><remoteContent href="https://p.example.org/s.jpg" width="100"/>
  <remoteContent href="https://p.example.org/l.jpg" width="1200"/></contentSet></newsItem>
</itemSet></newsMessage>"""
    [item] = parse_newsml(data)
    assert (item.picture_url, item.picture_credit, item.picture_caption) == (
        "https://p.example.org/l.jpg",
        "Port Photo",
        "The new crane",
    )


def test_a_web_page_loses_its_navigation_scripts_and_frames():
    item = extract_page(fixture("page-hostile.html"), "https://courier.example.org/tolls-end")
    assert item.headline == "Bridge tolls end in January"
    assert item.byline == "Sam Okafor"
    assert item.language == "en"
    assert item.summary.startswith("The toll on the coastal bridge")
    assert "Drivers will stop paying" in item.body_html
    for unwanted in ("script", "iframe", "onmouseover", "javascript:", "Sport", "Privacy"):
        assert unwanted not in item.body_html
    assert 'href="https://courier.example.org/tolls"' in item.body_html


def test_an_xml_bomb_is_refused_before_it_is_expanded():
    with pytest.raises(FormatError, match="declares entities"):
        parse_feed(fixture("bomb.xml"))
    with pytest.raises(FormatError, match="declares entities"):
        parse_newsml(fixture("bomb.xml"))


@pytest.mark.parametrize(
    "reader, data, message",
    [
        (parse_feed, b"<html><body>Not a feed</body></html>", "not a readable RSS or Atom"),
        (parse_feed, b"\x00\x01 garbage", "not a readable RSS or Atom"),
        (parse_newsml, b"<newsItem><unclosed>", "malformed XML"),
        (parse_newsml, b"<rss version='2.0'/>", "not a NewsML-G2"),
        (parse_ninjs, b'{"uri": "x", "headline": ', "malformed JSON"),
        (parse_ninjs, b"[1, 2]", "not a ninjs object"),
        (parse_ninjs, json.dumps({"uri": "x", "bodies": []}).encode(), "no headline"),
    ],
)
def test_malformed_input_is_a_format_error_naming_the_problem(reader, data, message):
    with pytest.raises(FormatError, match=message):
        reader(data)


def test_a_page_without_a_story_is_refused():
    with pytest.raises(FormatError):
        extract_page(b"<html><body><nav>Home</nav></body></html>", "https://x.example.org/")
