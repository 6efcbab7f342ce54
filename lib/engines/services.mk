# services.mk: fragment of Makefile.am
