"""The Aanleverportaal: a small web application where organisations deliver their files.

An organisation logs in, downloads the template, uploads a file, reads the intake's own
check report on the page and follows its submission to the dashboards. Accepted files go
into ``data/inbox/<bron>/`` exactly as a file copied there would; the intake stays the only
writer of the build DB. See docs/aanleverportaal.md.
"""
