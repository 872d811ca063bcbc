"""What a post says on each network: nothing here touches the database or a network."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from dateline.channels import messages

STORY = messages.Story(
    headline="Ferry to Korvan resumes after storm",
    standfirst="The morning crossing leaves at six again, the port authority said.",
    url="https://news.example/en/world/ferry-resumes/",
)


def test_links_carry_the_utm_tags_of_their_network(settings):
    settings.DATELINE_CHANNEL_UTM = "utm_source={network}&utm_medium=social"
    link = messages.x(STORY, "").link
    assert parse_qs(urlsplit(link).query) == {"utm_source": ["x"], "utm_medium": ["social"]}
    settings.DATELINE_CHANNEL_UTM = ""
    assert messages.facebook(STORY, "").link == STORY.url


def test_the_breaking_prefix_goes_only_on_breaking_stories():
    breaking = messages.Story(**{**STORY.__dict__, "breaking": True})
    assert messages.x(breaking, "🔴 BREAKING:").text.startswith("🔴 BREAKING: Ferry")
    assert messages.x(STORY, "🔴 BREAKING:").text.startswith("Ferry")
    assert messages.facebook(breaking, "").text.startswith("Ferry")


def test_telegram_escapes_what_a_headline_may_hold():
    story = messages.Story(headline="Prices <up> & rents", standfirst="a < b", url=STORY.url)
    text = messages.telegram(story, "", with_picture=False).text
    assert text.startswith("<b>Prices &lt;up&gt; &amp; rents</b>")
    assert "a &lt; b" in text and '<a href="' in text


def test_a_long_standfirst_is_cut_to_fit_a_photo_caption():
    story = messages.Story(headline="Headline", standfirst="word " * 400, url=STORY.url)
    caption = messages.telegram(story, "", with_picture=True)
    assert len(caption.text) < 1024 + 200  # the tags are not counted by Telegram
    assert "…" in caption.text
    assert len(messages.telegram(story, "", with_picture=False).text) > 1500


def test_x_posts_fit_280_by_its_weighting_in_every_script():
    for headline in ("A" * 400, "Երևանում " * 40, "Выборы " * 60, "東京" * 200):
        story = messages.Story(headline=headline, standfirst="More.", url=STORY.url * 3)
        text = messages.x(story, "BREAKING:").text
        body, link = text.rsplit("\n\n", 1)
        assert messages.x_length(body) + 2 + messages.X_LINK <= 280, headline[:10]
        assert link.startswith(STORY.url)


def test_x_keeps_the_standfirst_when_it_fits():
    assert STORY.standfirst in messages.x(STORY, "").text
    long = messages.Story(headline=STORY.headline, standfirst="x" * 260, url=STORY.url)
    assert "x" * 260 not in messages.x(long, "").text
