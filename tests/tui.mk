# tui.mk: fragment of Makefile.am
