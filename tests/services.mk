# tests/services.mk: fragment of Makefile.am -- the mail-service engines.
check_PROGRAMS += tests/test-engines-services
TESTS += tests/test-engines-services
tests_test_engines_services_SOURCES = tests/test-engines-services.c
tests_test_engines_services_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_engines_services_LDADD = $(TEST_LIBS)
EXTRA_DIST += \
	tests/corpus/aol-21-hostunknown.eml \
	tests/corpus/amazonses-21-expired.eml \
	tests/corpus/amazonses-22-userunknown-sns.eml \
	tests/corpus/amazonses-23-feedback-complaint-sns.eml \
	tests/corpus/amazonworkmail-21-userunknown.eml \
	tests/corpus/barracuda-21-spamdetected.eml \
	tests/corpus/bigfoot-21-userunknown.eml \
	tests/corpus/einsundeins-21-mailboxfull.eml \
	tests/corpus/ezweb-21-suspend.eml \
	tests/corpus/facebook-21-userunknown.eml \
	tests/corpus/gmail-21-userunknown.eml \
	tests/corpus/gmail-22-expired-delayed.eml \
	tests/corpus/gmail-23-userunknown-multirecipient.eml \
	tests/corpus/gmx-21-expired.eml \
	tests/corpus/googlegroups-21-rejected.eml \
	tests/corpus/gsuite-21-userunknown.eml \
	tests/corpus/kddi-21-mailboxfull.eml \
	tests/corpus/mailru-21-hostunknown.eml \
	tests/corpus/messagelabs-21-userunknown.eml \
	tests/corpus/mimecast-21-norelaying.eml \
	tests/corpus/mxlogic-21-userunknown.eml \
	tests/corpus/office365-21-userunknown.eml \
	tests/corpus/office365-22-multirecipient.eml \
	tests/corpus/outlook-21-userunknown.eml \
	tests/corpus/receivingses-21-mailboxfull.eml \
	tests/corpus/sendgrid-21-userunknown.eml \
	tests/corpus/verizon-21-userunknown.eml \
	tests/corpus/yahoo-21-userunknown.eml \
	tests/corpus/yahoo-22-multirecipient.eml \
	tests/corpus/yandex-21-userunknown.eml \
	tests/corpus/zoho-21-expired-delayed.eml
