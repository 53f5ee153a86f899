"""Extraction over frames of articles: sentences, figures, dates, company mentions, events."""
