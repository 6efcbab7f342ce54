# kb/kb.mk: the knowledge base, installed as data (included by Makefile.am).
kbdir = $(pkgdatadir)/kb
dist_kb_DATA = \
	kb/families.kb \
	kb/reasons.kb \
	kb/status-codes.kb \
	kb/reply-codes.kb
EXTRA_DIST += kb/README.md
