# keymaps.mk: fragment of Makefile.am
