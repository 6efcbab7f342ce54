# mta.mk: fragment of Makefile.am
