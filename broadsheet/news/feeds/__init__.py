"""Feeds of the newsfeed for feed readers: RSS 2.0, Atom 1.0 and JSON Feed 1.1
of the whole site, each section, each topic and each author.

sources.py resolves what a URL asks for (404 exactly when the matching page
is one) and builds the entries once per content version; rss_atom.py and
json_feed.py write them; views.py serves them with cache validators.
"""
