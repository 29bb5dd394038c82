"""The subscribers' digest email, built from the site's feed.

`python -m digest send` picks the feed entries not yet sent, renders one
email (theme/email/), and delivers it to every subscriber exactly once,
into a Maildir outbox or through SMTP. `python -m digest preview` writes the
rendered email to an HTML file.
"""
