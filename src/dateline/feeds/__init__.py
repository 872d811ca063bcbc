"""What search engines, news aggregators, feed readers and link previews read: RSS feeds,
sitemaps, the Google News sitemap, robots.txt, and the metadata in every page's head."""
