# parse.mk: fragment of Makefile.am
