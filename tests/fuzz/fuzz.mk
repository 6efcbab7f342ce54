# fuzz.mk: fragment of Makefile.am
