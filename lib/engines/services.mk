# services.mk: fragment of Makefile.am (mail services and appliances)
lib_libbouncetriage_a_SOURCES += \
	lib/engines/services-util.c lib/engines/services-util.h \
	lib/engines/amazonworkmail.c \
	lib/engines/amazonses.c \
	lib/engines/receivingses.c \
	lib/engines/googlegroups.c \
	lib/engines/gsuite.c \
	lib/engines/gmail.c \
	lib/engines/office365.c \
	lib/engines/outlook.c \
	lib/engines/yahoo.c \
	lib/engines/aol.c \
	lib/engines/facebook.c \
	lib/engines/messagelabs.c \
	lib/engines/mimecast.c \
	lib/engines/barracuda.c \
	lib/engines/bigfoot.c \
	lib/engines/sendgrid.c \
	lib/engines/mxlogic.c \
	lib/engines/verizon.c \
	lib/engines/gmx.c \
	lib/engines/einsundeins.c \
	lib/engines/mailru.c \
	lib/engines/yandex.c \
	lib/engines/zoho.c \
	lib/engines/kddi.c \
	lib/engines/ezweb.c
