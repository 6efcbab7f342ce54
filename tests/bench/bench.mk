# bench.mk: fragment of Makefile.am
