# store.mk: fragment of Makefile.am
